using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Queries;

namespace Stricture.Ingest.Ui.Models;

/// <summary>What the service page shows: one page of its runs in the range, newest first, and its drift per day over the range.</summary>
public sealed record ServiceTimeline(ServiceIdentity Service, RunQuery Query, IReadOnlyList<ManifestEntry> Runs, RunCursor? Next, DriftSeries Drift);

/// <summary>
/// Builds the service page from the catalog that <c>/v1/runs/...</c> reads: the page of runs from
/// <see cref="RunQueries.ListAsync"/>, the chart from the range's day manifests (one read per day,
/// the range bounded by <see cref="RunQuery.MaxDays"/>). No payload is read.
/// </summary>
public sealed class ServiceTimelineReader(RunQueries queries, RunCatalog catalog)
{
    public async Task<ServiceTimeline?> ReadAsync(ServiceIdentity service, RunQuery query, CancellationToken cancellationToken)
    {
        if (!await queries.ServiceExistsAsync(service, cancellationToken))
        {
            return null;
        }
        var page = await queries.ListAsync(service, query, cancellationToken);
        var drift = new DriftSeries(query.From, query.To.DayNumber - query.From.DayNumber + 1);
        var days = await Task.WhenAll(Enumerable.Range(0, drift.Days)
            .Select(index => catalog.ReadManifestAsync(service, query.From.AddDays(index), cancellationToken)));
        for (var index = 0; index < days.Length; index++)
        {
            foreach (var entry in days[index])
            {
                if (entry.Drift is { } summary)
                {
                    drift.Add(drift.DayAt(index), summary);
                }
            }
        }
        return new ServiceTimeline(service, query, page.Runs, page.Next, drift);
    }
}
