using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stricture.Storage.Catalog;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;
using Stricture.Storage.Time;

namespace Stricture.Storage.Records;

/// <summary>
/// Stores run records: immutable, idempotent by run id, durable before it returns.
///
/// One post is stored in two steps:
/// 1. at once, and overlapping: claim the run id by creating its run index entry if absent (which
///    fixes the payload key and received_at, and records the run's impact and gate, which an
///    <see cref="IRunAssessor"/> decides just before); stage the envelope (hashed and durable, nothing
///    visible); let the driver prepare the payload key (the filesystem creates its directory).
///    If a claim already exists, a different content fingerprint is a conflict, and the same
///    fingerprint adopts the claim, re-staging with its received_at so the bytes are identical;
/// 2. create the payload at the claimed key if absent; if present, its bytes must hash to what
///    this post staged (the envelope is a pure function of content, run id and received_at).
/// The claim is durable before the payload is committed, so a crash can leave a claim without a
/// payload (the retry completes it at the same key, whatever the date) but never a payload whose
/// retry would compute another key. Staged temp files are removed at start-up.
///
/// Then, for every accepted post (a first write or a retry), the run is added to the derived
/// objects that answer queries (<see cref="RunCatalog"/>) before this returns, so an acknowledged
/// run is visible to queries. Everything from the payload's commit on runs to its end even when the
/// caller cancels (its client went away). A crash before that leaves a payload the catalog lacks; the retry, or
/// <see cref="CatalogReconciler"/>, adds it. Last, when an <see cref="IAcceptedRunLog"/> is given
/// (mirror mode's replication spool), the run is appended to it, also before this returns, and so
/// is an <see cref="IAcceptedRunHook"/>'s work (the webhook outbox). Before the catalog, the
/// <see cref="IRunAssessor"/> indexes the run's export (the blast-radius index).
/// </summary>
public sealed partial class RecordStore(
    IObjectStore store, RecordKeys keys, RunCatalog catalog, TimeProvider time, StorageTelemetry telemetry, ILogger<RecordStore> logger,
    IAcceptedRunLog? acceptedRuns = null, IAcceptedRunHook? acceptedRunHook = null, IRunAssessor? runAssessor = null)
{
    public async Task<IngestResult> IngestAsync(RunSubmission submission, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var receivedAt = submission.ReceivedAt ?? time.GetUtcNow();
        var run = submission.Service.WithRun(submission.RunId ?? RunIdGenerator.Next(receivedAt));
        using var activity = StorageTelemetry.ActivitySource.StartActivity("stricture.record.store");
        activity?.SetTag("stricture.run_id", run.RunId);

        var claim = new RunIndexEntry(
            run.RunId,
            keys.Payload(run, RecordKeys.PartitionDate(submission.GeneratedAt, receivedAt)),
            UtcTimestamp.Format(receivedAt),
            RunEnvelope.Fingerprint(submission, run.RunId));
        var indexKey = keys.RunIndexEntry(run);

        // Step 1: three independent waits for durability, overlapped.
        var staging = StageEnvelopeAsync(submission, claim, cancellationToken);
        var preparing = store.PrepareKeyAsync(claim.Key, cancellationToken);
        var claiming = AssessAndClaimAsync(run, submission, claim, indexKey, cancellationToken);
        StagedObject staged;
        try
        {
            await Task.WhenAll(staging, preparing, claiming);
            staged = staging.Result;
            claim = claiming.Result.Claim;
        }
        catch
        {
            if (staging.IsCompletedSuccessfully)
            {
                await staging.Result.DisposeAsync();
            }
            throw;
        }

        try
        {
            if (claiming.Result.Outcome == CreateOutcome.AlreadyExists)
            {
                var existing = await ReadIndexEntryAsync(indexKey, cancellationToken);
                if (existing.ContentSha256 != claim.ContentSha256)
                {
                    telemetry.RecordWrite(Stopwatch.GetElapsedTime(started), "conflict");
                    return IngestResult.Conflict(existing);
                }
                if (existing.ReceivedAt != claim.ReceivedAt)
                {
                    await staged.DisposeAsync();
                    staged = await StageEnvelopeAsync(submission, existing, cancellationToken);
                }
                claim = existing;
            }

            // Step 2, and what follows it, without the caller's cancellation: once the payload may be
            // stored, a client that goes away must not leave it out of the catalog or the spool (only a
            // retry or a reconcile would bring it back, and nothing brings back the spool entry until
            // the replicator restarts).
            var finishing = CancellationToken.None;
            var created = await store.CommitIfAbsentAsync(staged, claim.Key, finishing) == CreateOutcome.Created;
            if (!created)
            {
                var stored = await ReadVerifiedAsync(claim.Key, finishing)
                             ?? throw new InvalidOperationException($"'{claim.Key}' exists and then does not.");
                VerifyHash(claim.Key, staged.Sha256, stored.Sha256);
            }
            var drift = submission.Diff is { } diff ? DriftSummary.FromDiff(diff) : null;
            // The claim's assessment: this post's, or the first post's when this one is a retry.
            var assessment = claim.Assessment;
            var accepted = new AcceptedRun(run, claim.Key, claim.ReceivedAt, submission, drift) { Assessment = assessment };
            if (runAssessor is not null)
            {
                await runAssessor.IndexAsync(accepted, finishing);
            }
            await RecordInCatalogAsync(submission, claim, staged, drift, assessment, finishing);
            if (acceptedRuns is not null)
            {
                await acceptedRuns.AppendAsync(claim.Key, finishing);
            }
            if (acceptedRunHook is not null)
            {
                await acceptedRunHook.OnAcceptedAsync(accepted, finishing);
            }
            telemetry.RecordWrite(Stopwatch.GetElapsedTime(started), created ? "created" : "existing");
            return IngestResult.Accepted(claim, staged.Sha256, staged.Length, created) with { Drift = drift, Assessment = assessment };
        }
        finally
        {
            await staged.DisposeAsync();
        }
    }

    private Task RecordInCatalogAsync(
        RunSubmission submission, RunIndexEntry claim, StagedObject staged, DriftSummary? drift, BlastRadius.RunAssessment? assessment,
        CancellationToken cancellationToken)
    {
        if (!keys.TryParsePayload(claim.Key, out var run, out var partitionDate))
        {
            throw new InvalidOperationException($"The claimed key '{claim.Key}' is not a payload key.");
        }
        var entry = new ManifestEntry(
            claim.RunId, claim.Key, staged.Sha256, staged.Length, claim.ReceivedAt,
            submission.GeneratedAt is { } generatedAt ? UtcTimestamp.Format(generatedAt) : null,
            submission.CommitSha, drift).WithAssessment(assessment);
        return catalog.RecordAsync(run.Service, partitionDate, entry, cancellationToken);
    }

    /// <summary>
    /// Decides the run's assessment (<see cref="IRunAssessor.DecideAsync"/>) and creates the claim,
    /// which records it, if absent. A claim that already exists keeps the assessment it was created with.
    /// </summary>
    private async Task<(CreateOutcome Outcome, RunIndexEntry Claim)> AssessAndClaimAsync(
        RunIdentity run, RunSubmission submission, RunIndexEntry claim, string indexKey, CancellationToken cancellationToken)
    {
        if (runAssessor is not null)
        {
            claim = claim.WithAssessment(await runAssessor.DecideAsync(run, submission, cancellationToken));
        }
        return (await store.CreateIfAbsentAsync(indexKey, claim.ToJson(), cancellationToken), claim);
    }

    private Task<StagedObject> StageEnvelopeAsync(RunSubmission submission, RunIndexEntry claim, CancellationToken cancellationToken) =>
        store.StageAsync(
            (stream, ct) => RunEnvelope.WriteAsync(
                stream, submission, claim.RunId, new RunEnvelope.ServerFields(claim.ReceivedAt, claim.ContentSha256), ct),
            cancellationToken);

    private async Task<RunIndexEntry> ReadIndexEntryAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await ReadVerifiedAsync(key, cancellationToken)
                     ?? throw new InvalidOperationException($"The run index entry '{key}' exists and then does not.");
        return RunIndexEntry.Parse(stored.Content.Span);
    }

    /// <summary>Reads through the driver, which checks the object against its recorded SHA-256; a failure is logged and counted here.</summary>
    private async Task<StoredObject?> ReadVerifiedAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(key, cancellationToken);
        }
        catch (ObjectIntegrityException exception)
        {
            telemetry.RecordIntegrityFailure();
            LogIntegrityFailure(logger, key, exception.ExpectedSha256, exception.ActualSha256);
            throw;
        }
    }

    private void VerifyHash(string key, string expected, string actual)
    {
        if (expected == actual)
        {
            return;
        }
        telemetry.RecordIntegrityFailure();
        LogIntegrityFailure(logger, key, expected, actual);
        throw new ObjectIntegrityException(key, expected, actual);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Integrity failure at {Key}: expected SHA-256 {Expected}, found {Actual}")]
    private static partial void LogIntegrityFailure(ILogger logger, string key, string expected, string actual);
}
