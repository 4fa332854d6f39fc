using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Rebuilds the catalog from the payloads: every stored payload ends up in its day's compacted
/// manifest (with the day's segments folded in), every service's latest pointer at its newest run, and
/// the organization-level objects (the service directory and each day's drift index) hold them. It is what repairs a crash between a payload's
/// write and its catalog update, and run on a store with no manifests at all it writes exactly what
/// ingest would have. It only adds and moves forward, through the same compare-and-swap updates as
/// ingest, so it is safe while servers are writing.
///
/// Cost: one listing of every key under the root (keys arrive in order, so one service and one day
/// at a time are held in memory), one read of each day's manifest and uncompacted segments, and one
/// payload read per run they lack (and its recorded assessment when it has a diff), and one read of each
/// service's newest payload to index its export in the blast-radius index.
/// </summary>
public sealed partial class CatalogReconciler(IObjectStore store, RecordKeys keys, RunCatalog catalog, ILogger<CatalogReconciler> logger)
{
    private const int ListPageSize = 1000;
    private const int ParallelPayloadReads = 8;

    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.ActivitySource.StartActivity("stricture.catalog.reconcile");
        var started = Stopwatch.GetTimestamp();
        var report = new ReconcileReport();
        DayOfRuns? day = null;
        string? continuationToken = null;
        do
        {
            var page = await store.ListAsync(keys.Root, continuationToken, ListPageSize, cancellationToken);
            foreach (var key in page.Keys)
            {
                if (!keys.TryParsePayload(key, out var run, out var date))
                {
                    continue;
                }
                if (day is null || day.Service != run.Service || day.Date != date)
                {
                    if (day is not null)
                    {
                        await ReconcileDayAsync(day, isNewestOfService: day.Service != run.Service, report, cancellationToken);
                    }
                    day = new DayOfRuns(run.Service, date);
                }
                day.PayloadKeys.Add(run.RunId, key);
            }
            continuationToken = page.ContinuationToken;
        }
        while (continuationToken is not null);
        if (day is not null)
        {
            await ReconcileDayAsync(day, isNewestOfService: true, report, cancellationToken);
        }
        report.Elapsed = Stopwatch.GetElapsedTime(started);
        LogReconciled(logger, report.Services, report.Days, report.Runs, report.EntriesAdded, report.PointersMoved, report.Unreadable,
            report.Elapsed.TotalSeconds);
        return report;
    }

    /// <summary>Keys list in ordinal order, so a service's days arrive together and in date order: the last one is its newest.</summary>
    private async Task ReconcileDayAsync(DayOfRuns day, bool isNewestOfService, ReconcileReport report, CancellationToken cancellationToken)
    {
        report.Days++;
        report.Runs += day.PayloadKeys.Count;
        var manifest = await catalog.ReadManifestAsync(day.Service, day.Date, cancellationToken);
        var listed = manifest.Select(entry => entry.RunId).ToHashSet(StringComparer.Ordinal);
        var missing = day.PayloadKeys.Where(pair => !listed.Contains(pair.Key)).Select(pair => pair.Value).ToList();
        var entries = new List<ManifestEntry>();
        if (missing.Count > 0)
        {
            var read = new ManifestEntry?[missing.Count];
            await Parallel.ForAsync(0, missing.Count,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelPayloadReads, CancellationToken = cancellationToken },
                async (index, ct) => read[index] = await ReadEntryAsync(missing[index], ct));
            entries = read.OfType<ManifestEntry>().ToList();
            report.Unreadable += read.Length - entries.Count;
        }
        // Also with nothing missing: the day's segments are folded into its compacted manifest.
        await catalog.CompactAsync(day.Service, day.Date, entries, cancellationToken);
        if (entries.Count > 0)
        {
            report.EntriesAdded += entries.Count;
            LogEntriesAdded(logger, entries.Count, keys.Manifest(day.Service, day.Date));
            manifest = ManifestDocument.Merge(manifest, entries)!;
        }
        await catalog.Organizations.AddAsync(day.Service, day.Date, manifest, isNewestOfService && manifest.Count > 0 ? manifest[^1] : null, cancellationToken);
        if (isNewestOfService)
        {
            report.Services++;
            if (manifest.Count > 0)
            {
                await IndexBlastRadiusAsync(day.Service, manifest[^1], cancellationToken);
            }
            if (manifest.Count > 0 && await catalog.AdvanceLatestAsync(keys.Latest(day.Service), [manifest[^1]], cancellationToken, readFirst: true))
            {
                report.PointersMoved++;
            }
        }
    }

    /// <summary>Indexes the service's newest export in the blast-radius index: nothing changes where it is already indexed.</summary>
    private async Task IndexBlastRadiusAsync(ServiceIdentity service, ManifestEntry newest, CancellationToken cancellationToken)
    {
        try
        {
            var payload = await store.ReadAsync(newest.Key, cancellationToken)
                          ?? throw new InvalidDataException("It is the service's newest run and cannot be read.");
            await catalog.BlastRadius.IndexAsync(service, newest, EnvelopeReader.ReadExport(payload), cancellationToken, readFirst: true);
        }
        catch (Exception exception) when (exception is ObjectIntegrityException or InvalidDataException or System.Text.Json.JsonException)
        {
            LogUnreadable(logger, exception, newest.Key);
        }
    }

    /// <summary>The payload's entry, or null (logged) when it cannot be trusted: it is left out of queries, not guessed at.</summary>
    private async Task<ManifestEntry?> ReadEntryAsync(string payloadKey, CancellationToken cancellationToken)
    {
        try
        {
            var payload = await store.ReadAsync(payloadKey, cancellationToken)
                          ?? throw new InvalidDataException("It was listed and then could not be read.");
            var entry = EnvelopeReader.ToManifestEntry(payload);
            // A run with a diff had its impact and gate recorded in its claim; the catalog shows that record.
            return entry.Drift is null || !keys.TryParsePayload(payloadKey, out var run, out _)
                ? entry
                : entry.WithAssessment((await RunIndexEntry.ReadAsync(store, keys.RunIndexEntry(run), cancellationToken))?.Assessment);
        }
        catch (Exception exception) when (exception is ObjectIntegrityException or InvalidDataException or System.Text.Json.JsonException)
        {
            LogUnreadable(logger, exception, payloadKey);
            return null;
        }
    }

    private sealed record DayOfRuns(ServiceIdentity Service, DateOnly Date)
    {
        public Dictionary<string, string> PayloadKeys { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile skipped the payload {PayloadKey}: it cannot be read as a run envelope")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string payloadKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile added {Count} runs missing from {ManifestKey}")]
    private static partial void LogEntriesAdded(ILogger logger, int count, string manifestKey);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciled the catalog: {Services} services, {Days} days, {Runs} runs; added {EntriesAdded} manifest entries, " +
                  "moved {PointersMoved} latest pointers, skipped {Unreadable} unreadable payloads in {Seconds:F1} s")]
    private static partial void LogReconciled(
        ILogger logger, int services, int days, int runs, int entriesAdded, int pointersMoved, int unreadable, double seconds);
}
