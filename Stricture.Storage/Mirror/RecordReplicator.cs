using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;

namespace Stricture.Storage.Mirror;

/// <summary>
/// Copies spooled runs from the local data directory to the object store, so the bucket ends up
/// holding the same tree. A pass takes up to <see cref="BatchSize"/> runs: their records (and, for
/// runs kept in the dated layout, their claims) by conditional create (an object that was already there is checked against the
/// recorded SHA-256, and so is a new one on a store that does not check what it receives), then, once
/// for the whole pass, one new manifest segment per day and each service's latest pointer, as
/// ingest records them (so several mirror servers can share a bucket). Only then
/// are the runs' spool entries retired. Every step is idempotent, so a crash at any point only
/// means the entry is copied again. <see cref="DrainAsync"/> overlaps each pass's catalog step and
/// retirements with the next pass's copies.
///
/// An object already in the bucket with the same SHA-256 counts as copied; one with other bytes is
/// an alarm: logged, counted, left in place, and the spool entry set aside (quarantined). An
/// unreachable store stops the pass (<see cref="ObjectStoreUnavailableException"/>): the caller
/// backs off and the entries stay spooled.
/// </summary>
public sealed partial class RecordReplicator(
    FileSystemObjectStore local, IObjectStore remote, RunCatalog remoteCatalog, RecordKeys keys, ReplicationSpool spool,
    ReplicationTelemetry telemetry, ILogger<RecordReplicator> logger)
{
    /// <summary>Entries taken per pass: bounds memory, and lets a pass end (and lag be observed) under a large backlog.</summary>
    public const int BatchSize = 256;

    /// <summary>Copies in flight at once.</summary>
    public const int Concurrency = 16;

    /// <summary>Copies up to <see cref="BatchSize"/> pending runs (one pass); returns how many entries it finished (retired or quarantined).</summary>
    public Task<int> DrainOnceAsync(CancellationToken cancellationToken) => DrainAsync(() => false, cancellationToken);

    /// <summary>
    /// Passes back to back while the spool has entries and <paramref name="another"/> allows one more:
    /// each pass's catalog step and retirements run while the next pass lists and copies, so the
    /// bucket is kept busy with copies rather than waiting on a pass's few catalog writes and its local
    /// deletions. An entry is in one pass at a time (the next pass skips the entries still settling),
    /// and an entry is retired only once its pass's catalog step is done.
    /// Returns once every pass it started has settled: how many entries it finished. A failure stops
    /// it (after the pass settling meanwhile has ended); what was not retired stays spooled.
    /// </summary>
    public async Task<int> DrainAsync(Func<bool> another, CancellationToken cancellationToken)
    {
        var finished = 0;
        CopiedPass? settlingPass = null;
        var settling = Task.FromResult(0);
        try
        {
            while (true)
            {
                var pass = await CopyPassAsync(settlingPass, cancellationToken);
                finished += await settling;
                if (pass.Listed == 0)
                {
                    return finished;
                }
                (settlingPass, settling) = (pass, SettleAsync(pass, cancellationToken));
                if (!another())
                {
                    return finished + await settling;
                }
            }
        }
        catch
        {
            // Never leave a pass settling behind: the caller may retry at once, and must not list its entries meanwhile.
            await ((Task)settling).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    /// <summary>
    /// 1. The immutable objects of up to <see cref="BatchSize"/> pending runs, in parallel, skipping
    /// the entries of the pass <paramref name="settling"/> (copied, not yet retired).
    /// </summary>
    private async Task<CopiedPass> CopyPassAsync(CopiedPass? settling, CancellationToken cancellationToken)
    {
        var pending = await spool.ListPendingAsync(BatchSize, settling is null ? null : settling.EntryKeys.Contains, cancellationToken);
        var copied = new ConcurrentBag<CopiedRun>();
        var quarantined = 0;
        await Parallel.ForEachAsync(pending,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                if (await CopyRunAsync(entry, ct) is { } run)
                {
                    copied.Add(run);
                }
                else
                {
                    Interlocked.Increment(ref quarantined); // set aside (quarantined)
                }
            });
        return new CopiedPass(pending.Count, quarantined, [.. copied]);
    }

    /// <summary>
    /// 2. The catalog: one new segment per day and one update per latest pointer for the whole pass.
    /// 3. Only then is each run wholly in the bucket: its entry is retired. Returns the entries the pass finished.
    /// </summary>
    private async Task<int> SettleAsync(CopiedPass pass, CancellationToken cancellationToken)
    {
        var copied = pass.Copied;
        await Task.WhenAll(copied.GroupBy(run => (run.Service, run.Day)).Select(day =>
            remoteCatalog.AppendAsync(day.Key.Service, day.Key.Day, day.Select(run => run.Entry).ToList(), cancellationToken)));
        await Task.WhenAll(copied.GroupBy(run => run.LatestKey).Select(service =>
            remoteCatalog.AdvanceLatestAsync(service.Key, service.Select(run => run.Entry).ToList(), cancellationToken)));
        foreach (var run in copied)
        {
            spool.Retire(run.Spooled);
            telemetry.RecordCopied(run.Entry.Size);
        }
        return pass.Quarantined + copied.Count;
    }

    /// <summary>A pass's copies: how many entries it listed, how many of them it quarantined, and the runs it copied.</summary>
    private sealed record CopiedPass(int Listed, int Quarantined, IReadOnlyList<CopiedRun> Copied)
    {
        public HashSet<string> EntryKeys { get; } = [.. Copied.Select(run => run.Spooled.EntryKey)];
    }

    /// <summary>A run whose objects are in the bucket, and what its catalog update needs.</summary>
    private sealed record CopiedRun(SpoolEntry Spooled, ManifestEntry Entry, ServiceIdentity Service, DateOnly Day, string LatestKey);

    /// <summary>Copies a run's record (and, for a run in the dated layout, its claim); null when the entry was quarantined instead.</summary>
    private async Task<CopiedRun?> CopyRunAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (!keys.TryParseRun(entry.RunKey, out var run))
            {
                throw new InvalidDataException($"The spool entry '{entry.EntryKey}' names '{entry.RunKey}', which is not a run's key.");
            }
            var stored = await StoredRun.ReadAsync(local, keys.Record(run), cancellationToken)
                         ?? throw new InvalidDataException($"The spooled run '{entry.RunKey}' is not in the data directory.");
            // A dated-layout run's claim and payload at once: readers already meet a claim before its
            // payload (ingest wrote the claim first), and a payload before its claim only until the next request lands.
            await Task.WhenAll(
                CopyIfAbsentAsync(stored.Record, cancellationToken),
                stored.DatedClaim is { } claim ? CopyIfAbsentAsync(claim, cancellationToken) : Task.CompletedTask);
            // The bucket's catalog shows the impact and gate the run recorded, as the data directory's does.
            var cataloged = EnvelopeReader.ToManifestEntry(stored.Record).WithAssessment(stored.Index.Assessment);
            return new CopiedRun(entry, cataloged, run.Service, cataloged.PartitionDate, keys.Latest(run.Service));
        }
        catch (ReplicaMismatchException exception)
        {
            telemetry.RecordFailure("mismatch");
            LogMismatch(logger, exception, exception.Key);
            spool.Quarantine(entry);
            return null;
        }
        catch (Exception exception) when (exception is ObjectIntegrityException or InvalidDataException or JsonException)
        {
            telemetry.RecordFailure("unreadable");
            LogUnreadable(logger, exception, entry.RunKey);
            spool.Quarantine(entry);
            return null;
        }
        catch (ObjectStoreUnavailableException)
        {
            telemetry.RecordFailure("unavailable");
            throw;
        }
    }

    private async Task CopyIfAbsentAsync(StoredObject source, CancellationToken cancellationToken)
    {
        var outcome = await remote.CreateIfAbsentAsync(source.Key, source.Content, cancellationToken);
        if (outcome == CreateOutcome.Created && remote.ChecksCommittedContent)
        {
            return; // the store checked these very bytes on receipt
        }
        // Already there (or a store that does not check what it receives): what the bucket holds must be these bytes.
        var stored = await remote.GetInfoAsync(source.Key, cancellationToken);
        if (stored?.Sha256 != source.Sha256 || stored.Length != source.Content.Length)
        {
            throw new ReplicaMismatchException(source.Key, source.Sha256, stored?.Sha256);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Replication alarm at {Key}: the object store holds other bytes; left in place, spool entry quarantined")]
    private static partial void LogMismatch(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Replication of {RunKey} is impossible: the local record cannot be read; spool entry quarantined")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string runKey);
}
