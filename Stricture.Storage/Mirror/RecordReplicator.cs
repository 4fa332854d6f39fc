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
/// means the entry is copied again. <see cref="DrainAsync"/> runs passes back to back, the next one's
/// copies starting as this one's last copies start, and its catalog step and retirements running
/// beside later copies.
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
    /// Passes back to back while the spool has entries and <paramref name="another"/> (asked once a
    /// pass's copies have all started) allows one more. The copies of all passes share
    /// <see cref="Concurrency"/> slots: the next pass is listed and starts copying as soon as the
    /// last copy of this one has started and the pass before this one has settled, and a pass settles (its catalog step, then its retirements)
    /// once its copies are done and the pass before it has settled, while later copies go on. So the
    /// bucket is kept busy with copies, not left waiting on a pass's last copies, its few catalog
    /// writes or its local deletions. A listing skips the entries of passes not yet settled, so an
    /// entry is in one pass at a time. Returns once every pass it started has settled: how many
    /// entries it finished. A failure stops it once every copy and settlement it started has ended;
    /// what was not retired stays spooled.
    /// </summary>
    public async Task<int> DrainAsync(Func<bool> another, CancellationToken cancellationToken)
    {
        var unsettled = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(Concurrency);
        var failed = false;
        var settled = Task.FromResult(0); // every pass so far, settled in order: how many entries they finished
        var settledButLast = settled;
        var copies = new List<Task<CopiedRun?>>();
        try
        {
            do
            {
                // At most two passes unsettled: one copying, one settling. Without this bound, small
                // passes (a steady trickle of arrivals) would queue behind each other's catalog steps.
                await ((Task)settledButLast).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (Volatile.Read(ref failed))
                {
                    break;
                }
                var pending = await spool.ListPendingAsync(BatchSize, unsettled.ContainsKey, cancellationToken);
                if (pending.Count == 0)
                {
                    break;
                }
                copies = new List<Task<CopiedRun?>>(pending.Count);
                foreach (var entry in pending)
                {
                    await slots.WaitAsync(cancellationToken);
                    if (Volatile.Read(ref failed))
                    {
                        slots.Release();
                        break;
                    }
                    unsettled.TryAdd(entry.EntryKey, 0);
                    copies.Add(CopyInSlotAsync(entry));
                }
                (settledButLast, settled) = (settled, SettleInOrderAsync(pending, copies, settled));
            } while (!Volatile.Read(ref failed) && another());
            return await settled;
        }
        catch
        {
            // Leave nothing running: the caller may retry at once, and must not list these entries meanwhile.
            await ((Task)Task.WhenAll(copies)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ((Task)settled).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        async Task<CopiedRun?> CopyInSlotAsync(SpoolEntry entry)
        {
            try
            {
                return await CopyRunAsync(entry, cancellationToken);
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            finally
            {
                slots.Release();
            }
        }

        async Task<int> SettleInOrderAsync(IReadOnlyList<SpoolEntry> pass, List<Task<CopiedRun?>> passCopies, Task<int> before)
        {
            try
            {
                var copied = Task.WhenAll(passCopies);
                await ((Task)copied).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                var finishedBefore = await before; // a pass that failed stops every later one from settling
                return finishedBefore + await SettleAsync(await copied, cancellationToken);
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            finally
            {
                foreach (var entry in pass)
                {
                    unsettled.TryRemove(entry.EntryKey, out _);
                }
            }
        }
    }

    /// <summary>
    /// The catalog: one new segment per day and one update per latest pointer for the pass's copied
    /// runs (null: quarantined); only then is each run wholly in the bucket, and its entry retired.
    /// Returns the entries the pass finished.
    /// </summary>
    private async Task<int> SettleAsync(CopiedRun?[] pass, CancellationToken cancellationToken)
    {
        var copied = pass.OfType<CopiedRun>().ToList();
        await Task.WhenAll(copied.GroupBy(run => (run.Service, run.Day)).Select(day =>
            remoteCatalog.AppendAsync(day.Key.Service, day.Key.Day, day.Select(run => run.Entry).ToList(), cancellationToken)));
        await Task.WhenAll(copied.GroupBy(run => run.LatestKey).Select(service =>
            remoteCatalog.AdvanceLatestAsync(service.Key, service.Select(run => run.Entry).ToList(), cancellationToken)));
        foreach (var run in copied)
        {
            spool.Retire(run.Spooled);
            telemetry.RecordCopied(run.Entry.Size);
        }
        return pass.Length;
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
