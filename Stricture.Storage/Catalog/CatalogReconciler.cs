using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Rebuilds the catalog from the records: every stored run ends up in its day's compacted
/// manifest (with the day's segments folded in), every service's latest pointer at its newest run, and
/// the organization-level objects (the service directory and each day's drift index) hold them. It is what repairs a crash between a record's
/// write and its catalog update, and run on a store with no manifests at all it writes exactly what
/// ingest would have. It only adds and moves forward, through the same compare-and-swap updates as
/// ingest, so it is safe while servers are writing.
///
/// Cost: one listing of every key under the root (keys arrive in order, so one service's run ids
/// at a time are held in memory), two reads of each day's manifest and uncompacted segments (one to
/// learn which runs are listed, one to fold the day), one record read per run they lack (and, for a
/// dated-layout run with a diff, its claim), and one read of each service's newest record to index
/// its export in the blast-radius index.
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
        ServiceKeys? service = null;
        string? continuationToken = null;
        do
        {
            var page = await store.ListAsync(keys.Root, continuationToken, ListPageSize, cancellationToken);
            foreach (var key in page.Keys)
            {
                ServiceIdentity of;
                if (keys.TryParseRecord(key, out var run))
                {
                    of = run.Service;
                }
                else if (keys.TryParseDatedPayload(key, out run, out _))
                {
                    of = run.Service;
                }
                else if (!keys.TryParseManifestDay(key, out of, out _, out _))
                {
                    continue;
                }
                if (service is null || service.Service != of)
                {
                    if (service is not null)
                    {
                        await ReconcileServiceAsync(service, report, cancellationToken);
                    }
                    service = new ServiceKeys(of);
                }
                service.Add(keys, key);
            }
            continuationToken = page.ContinuationToken;
        }
        while (continuationToken is not null);
        if (service is not null)
        {
            await ReconcileServiceAsync(service, report, cancellationToken);
        }
        report.Elapsed = Stopwatch.GetElapsedTime(started);
        LogReconciled(logger, report.Services, report.Days, report.Runs, report.EntriesAdded, report.PointersMoved, report.Unreadable,
            report.Elapsed.TotalSeconds);
        return report;
    }

    /// <summary>
    /// Keys list in ordinal order, so a service's keys arrive together. A record's key does not say
    /// its day, so first every day's manifest is read for the runs it lists; the runs none lists are
    /// read, which gives their days; then each day, oldest first, gets its missing runs and its
    /// segments folded, and the newest day moves the latest pointer.
    /// </summary>
    private async Task ReconcileServiceAsync(ServiceKeys service, ReconcileReport report, CancellationToken cancellationToken)
    {
        report.Runs += service.RunKeys.Count;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in service.Days)
        {
            foreach (var entry in await catalog.ReadManifestAsync(service.Service, day, cancellationToken))
            {
                listed.Add(entry.RunId);
            }
        }
        var missing = service.RunKeys.Where(pair => !listed.Contains(pair.Key)).Select(pair => pair.Value).ToList();
        var read = new (ManifestEntry? Entry, bool Unreadable)[missing.Count];
        await Parallel.ForAsync(0, missing.Count,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelPayloadReads, CancellationToken = cancellationToken },
            async (index, ct) => read[index] = await ReadEntryAsync(missing[index], ct));
        report.Unreadable += read.Count(result => result.Unreadable);
        var missingByDay = read.Select(result => result.Entry).OfType<ManifestEntry>().ToLookup(entry => entry.PartitionDate);
        var days = service.Days.Union(missingByDay.Select(day => day.Key)).Order().ToList();
        for (var i = 0; i < days.Count; i++)
        {
            await ReconcileDayAsync(service.Service, days[i], missingByDay[days[i]].ToList(), isNewestOfService: i == days.Count - 1, report, cancellationToken);
        }
    }

    private async Task ReconcileDayAsync(
        ServiceIdentity service, DateOnly date, List<ManifestEntry> entries, bool isNewestOfService, ReconcileReport report, CancellationToken cancellationToken)
    {
        report.Days++;
        var manifest = await catalog.ReadManifestAsync(service, date, cancellationToken);
        // A server writing meanwhile may have listed some of them since the first read.
        var listed = manifest.Select(entry => entry.RunId).ToHashSet(StringComparer.Ordinal);
        entries = entries.Where(entry => !listed.Contains(entry.RunId)).ToList();
        // Also with nothing missing: the day's segments are folded into its compacted manifest.
        await catalog.CompactAsync(service, date, entries, cancellationToken);
        if (entries.Count > 0)
        {
            report.EntriesAdded += entries.Count;
            LogEntriesAdded(logger, entries.Count, keys.Manifest(service, date));
            manifest = ManifestDocument.Merge(manifest, entries)!;
        }
        await catalog.Organizations.AddAsync(service, date, manifest, isNewestOfService && manifest.Count > 0 ? manifest[^1] : null, cancellationToken);
        if (isNewestOfService)
        {
            report.Services++;
            if (manifest.Count > 0)
            {
                await IndexBlastRadiusAsync(service, manifest[^1], cancellationToken);
            }
            if (manifest.Count > 0 && await catalog.AdvanceLatestAsync(keys.Latest(service), [manifest[^1]], cancellationToken, readFirst: true))
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

    /// <summary>
    /// The run's entry, or null when it cannot be trusted (logged: it is left out of queries, not guessed
    /// at) or is no run (a dated-layout claim whose payload was never created: a post that never completed).
    /// </summary>
    private async Task<(ManifestEntry? Entry, bool Unreadable)> ReadEntryAsync(string runKey, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await store.ReadAsync(runKey, cancellationToken)
                         ?? throw new InvalidDataException("It was listed and then could not be read.");
            if (keys.TryParseRecord(runKey, out _))
            {
                // A record carries its impact and gate.
                return (EnvelopeReader.IsRecord(stored) ? EnvelopeReader.ToManifestEntry(stored) : null, false);
            }
            var entry = EnvelopeReader.ToManifestEntry(stored);
            // A dated-layout run with a diff had its impact and gate recorded in its claim; the catalog shows that record.
            return (entry.Drift is null || !keys.TryParseDatedPayload(runKey, out var run, out _)
                ? entry
                : entry.WithAssessment((await RunIndexEntry.ReadAsync(store, keys.Record(run), cancellationToken))?.Assessment), false);
        }
        catch (Exception exception) when (exception is ObjectIntegrityException or InvalidDataException or System.Text.Json.JsonException)
        {
            LogUnreadable(logger, exception, runKey);
            return (null, true);
        }
    }

    /// <summary>
    /// One service's keys, as the listing brings them: its runs (record keys, and dated payload keys for
    /// runs in the dated layout, whose claims at record keys then name them) and the days with a manifest.
    /// </summary>
    private sealed class ServiceKeys(ServiceIdentity service)
    {
        public ServiceIdentity Service { get; } = service;

        /// <summary>Run id to the key its record is read from.</summary>
        public Dictionary<string, string> RunKeys { get; } = new(StringComparer.Ordinal);

        public SortedSet<DateOnly> Days { get; } = [];

        public void Add(RecordKeys keys, string key)
        {
            if (keys.TryParseDatedPayload(key, out var run, out var date))
            {
                // Dated keys list before record keys: the payload, not its claim, is the run's record.
                RunKeys[run.RunId] = key;
                Days.Add(date);
            }
            else if (keys.TryParseRecord(key, out run))
            {
                RunKeys.TryAdd(run.RunId, key);
            }
            else if (keys.TryParseManifestDay(key, out _, out var day, out _))
            {
                Days.Add(day);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile skipped the run {RunKey}: it cannot be read as a run envelope")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string runKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile added {Count} runs missing from {ManifestKey}")]
    private static partial void LogEntriesAdded(ILogger logger, int count, string manifestKey);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciled the catalog: {Services} services, {Days} days, {Runs} runs; added {EntriesAdded} manifest entries, " +
                  "moved {PointersMoved} latest pointers, skipped {Unreadable} unreadable runs in {Seconds:F1} s")]
    private static partial void LogReconciled(
        ILogger logger, int services, int days, int runs, int entriesAdded, int pointersMoved, int unreadable, double seconds);
}
