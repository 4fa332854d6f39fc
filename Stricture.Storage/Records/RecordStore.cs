using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stricture.Storage.BlastRadius;
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
/// A run is one object, its record, at a key that depends on nothing but the run's identity
/// (<see cref="RecordKeys.Record"/>). One post is stored in two steps:
/// 1. decide the run's assessment (an <see cref="IRunAssessor"/>, when the run has a diff), then stage
///    the envelope, assessment included (hashed and durable, nothing visible);
/// 2. create the record if absent. That conditional create is the claim on the run id: if a record
///    is already there, a different content fingerprint is a conflict, and the same fingerprint adopts
///    the stored record (its received_at, its assessment), whatever day the retry arrives, after
///    checking that its bytes are exactly what this post makes with those fields.
/// A crash leaves either the whole record or nothing visible; staged temp files are removed at start-up.
/// A run id claimed in the dated layout (a claim naming a dated payload, written before records moved)
/// is completed there instead: the payload is created at the claimed key with the claim's received_at.
///
/// Then, for every accepted post (a first write or a retry), the run is added to the derived
/// objects that answer queries (<see cref="RunCatalog"/>) before this returns, so an acknowledged
/// run is visible to queries. Everything after the record's commit returns runs to its end even when
/// the caller cancels (its client went away). A crash before that leaves a record the catalog lacks; the retry, or
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

        // Step 1: the assessment is part of the record, so it is decided before staging.
        var recordKey = keys.Record(run);
        var decided = runAssessor is null ? null : await runAssessor.DecideAsync(run, submission, cancellationToken);
        var claim = new RunIndexEntry(run.RunId, recordKey, UtcTimestamp.Format(receivedAt), RunEnvelope.Fingerprint(submission, run.RunId))
            .WithAssessment(decided);
        var staged = await StageEnvelopeAsync(submission, claim, claim.Assessment, cancellationToken);
        var recordCommit = Task.CompletedTask;
        try
        {
            // Step 2 with the caller's cancellation: a client gone (or a function's time limit reached)
            // while the store has not answered ends the post, unacknowledged; if the record landed all
            // the same, the client's retry or a reconcile catalogs it. What follows runs without it: once
            // the record is stored, a client that goes away must not leave it out of the catalog or the
            // spool (nothing brings back the spool entry until the replicator's catch-up scan).
            // The store answers once the create is decided: the record becomes durable and visible
            // while the catalog is written, before anything the catalog writes (one flush for both on
            // the filesystem driver), and is awaited before the answer.
            var pending = await store.BeginCommitIfAbsentAsync(staged, recordKey, cancellationToken);
            recordCommit = pending.Completion;
            var created = pending.Outcome == CreateOutcome.Created;
            var finishing = CancellationToken.None;
            var (sha256, size) = (staged.Sha256, staged.Length);
            if (!created)
            {
                var existing = await ReadVerifiedAsync(recordKey, finishing)
                               ?? throw new InvalidOperationException($"'{recordKey}' exists and then does not.");
                var stored = StoredRun.ClaimOf(existing);
                if (stored.ContentSha256 != claim.ContentSha256)
                {
                    telemetry.RecordWrite(Stopwatch.GetElapsedTime(started), "conflict");
                    return IngestResult.Conflict(stored);
                }
                claim = stored;
                if (claim.Key == recordKey) // a record, not a dated-layout claim naming its payload
                {
                    // The envelope is a pure function of the post and the server fields, so the stored record
                    // must be exactly what this post makes with the stored fields: anything else is damage.
                    await staged.DisposeAsync();
                    staged = await StageEnvelopeAsync(submission, claim, claim.Assessment, finishing);
                    VerifyHash(recordKey, staged.Sha256, existing.Sha256);
                    (sha256, size) = (staged.Sha256, staged.Length);
                }
                else
                {
                    (sha256, size) = await CompleteDatedRunAsync(submission, claim, finishing);
                }
            }
            var drift = submission.Diff is { } diff ? DriftSummary.FromDiff(diff) : null;
            // The record's assessment: this post's, or the first post's when this one is a retry.
            var assessment = claim.Assessment;
            var accepted = new AcceptedRun(run, claim.Key, claim.ReceivedAt, submission, drift) { Assessment = assessment };
            if (runAssessor is not null)
            {
                await runAssessor.IndexAsync(accepted, finishing);
            }
            var entry = new ManifestEntry(
                claim.RunId, claim.Key, sha256, size, claim.ReceivedAt,
                submission.GeneratedAt is { } generatedAt ? UtcTimestamp.Format(generatedAt) : null,
                submission.CommitSha, drift).WithAssessment(assessment);
            await catalog.RecordAsync(run.Service, entry.PartitionDate, entry, finishing);
            await recordCommit;
            if (acceptedRuns is not null)
            {
                await acceptedRuns.AppendAsync(claim.Key, finishing);
            }
            if (acceptedRunHook is not null)
            {
                await acceptedRunHook.OnAcceptedAsync(accepted, finishing);
            }
            telemetry.RecordWrite(Stopwatch.GetElapsedTime(started), created ? "created" : "existing");
            return IngestResult.Accepted(claim, sha256, size, created) with { Drift = drift, Assessment = assessment };
        }
        finally
        {
            // The create moves the staged file into place: its file is not removed under it.
            await recordCommit.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await staged.DisposeAsync();
        }
    }

    /// <summary>
    /// A retry of a run claimed in the dated layout: its payload is created at the claimed key if absent
    /// (a crash may have left the claim alone), with the claim's received_at and, as that layout's
    /// payloads have, no assessment; if present, its bytes must hash to what this post staged.
    /// </summary>
    private async Task<(string Sha256, long Size)> CompleteDatedRunAsync(RunSubmission submission, RunIndexEntry claim, CancellationToken cancellationToken)
    {
        await using var staged = await StageEnvelopeAsync(submission, claim, assessment: null, cancellationToken);
        if (await store.CommitIfAbsentAsync(staged, claim.Key, cancellationToken) != CreateOutcome.Created)
        {
            var stored = await ReadVerifiedAsync(claim.Key, cancellationToken)
                         ?? throw new InvalidOperationException($"'{claim.Key}' exists and then does not.");
            VerifyHash(claim.Key, staged.Sha256, stored.Sha256);
        }
        return (staged.Sha256, staged.Length);
    }

    private Task<StagedObject> StageEnvelopeAsync(RunSubmission submission, RunIndexEntry claim, RunAssessment? assessment, CancellationToken cancellationToken) =>
        store.StageAsync(
            (stream, ct) => RunEnvelope.WriteAsync(
                stream, submission, claim.RunId, new RunEnvelope.ServerFields(claim.ReceivedAt, claim.ContentSha256, assessment), ct),
            cancellationToken);

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
