using Microsoft.Extensions.Caching.Memory;
using Stricture.Storage.Catalog;
using Stricture.Storage.Discovery;

namespace Stricture.Ingest.Ui.Models;

/// <summary>
/// Builds the organisation page from the same organisation-level derived objects as
/// <c>/v1/orgs/{org}/services</c> and <c>/drift</c>: the service directory through
/// <see cref="OrgQueries"/> (its size follows the services, not the history) and the drift index of
/// the last <see cref="SparklineDays"/> days from the catalog (its size follows the drifted runs of
/// those days; past days are reused for <see cref="PastDayReuse"/>). No payload is read.
/// </summary>
public sealed class OrgOverviewReader(OrgQueries queries, RunCatalog catalog, TimeProvider time)
{
    /// <summary>Past days' drift indexes, its own cache so that no other user's entries share its size limit: 30 days of a few organisations.</summary>
    private readonly MemoryCache _pastDays = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public const int SparklineDays = 30;
    public const int RecentDays = 7;
    public const int PageSize = 100;

    public async Task<OrgOverview> ReadAsync(string organization, string? project, Func<string, bool> visible, int page, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var services = await AllServicesAsync(organization, visible, cancellationToken);
        var projects = services.Select(entry => entry.Project).Distinct(StringComparer.Ordinal).ToList();
        var shown = services.Where(entry => project is null || entry.Project == project).ToList();

        var first = today.AddDays(1 - SparklineDays);
        var series = shown.ToDictionary(entry => (entry.Project, entry.Service), _ => new DriftSeries(first, SparklineDays));
        foreach (var run in await DriftedRunsAsync(organization, project, first, today, visible, cancellationToken))
        {
            if (series.TryGetValue((run.Project, run.Service), out var drift))
            {
                drift.Add(DriftSeries.DayOf(run.OccurredAt), run.Drift!);
            }
        }

        var rows = shown
            .Select(entry => new ServiceRow(entry, series[(entry.Project, entry.Service)], series[(entry.Project, entry.Service)].HasHighInLast(RecentDays)))
            .OrderByDescending(row => row.RecentHigh) // stable: by project then service within each group, as the directory lists them
            .ToList();
        var pageCount = Math.Max(1, (rows.Count + PageSize - 1) / PageSize);
        var current = Math.Clamp(page, 1, pageCount);
        return new OrgOverview(organization, project, projects, rows.Skip((current - 1) * PageSize).Take(PageSize).ToList(),
            rows.Count, current, pageCount, today);
    }

    private async Task<List<OrgRunEntry>> AllServicesAsync(string organization, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        var services = new List<OrgRunEntry>();
        ServiceCursor? cursor = null;
        do
        {
            var page = await queries.ListServicesAsync(organization, new ServicesQuery(null, ServicesQuery.MaxLimit, cursor), visible, cancellationToken);
            services.AddRange(page.Services);
            cursor = page.Next;
        }
        while (cursor is not null);
        return services;
    }

    /// <summary>
    /// How long a past day's drift index is reused before it is read again. A past day still changes
    /// when a run dated that day arrives late or a reconcile adds one, so its sparkline may lag that
    /// long; today is always read afresh. Without it, each page view would read 30 days × 8 shards.
    /// </summary>
    public static readonly TimeSpan PastDayReuse = TimeSpan.FromSeconds(60);

    /// <summary>The drifted runs (low and above) of the days, of visible projects: each day's drift index read once, all days at once.</summary>
    private async Task<IEnumerable<OrgRunEntry>> DriftedRunsAsync(
        string organization, string? project, DateOnly from, DateOnly to, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        var days = await Task.WhenAll(Enumerable.Range(0, to.DayNumber - from.DayNumber + 1)
            .Select(offset => DriftDayAsync(organization, from.AddDays(offset), to, cancellationToken)));
        return days.SelectMany(day => day)
            .Where(run => run.Drift is not null && visible(run.Project) && (project is null || run.Project == project));
    }

    private async Task<IReadOnlyList<OrgRunEntry>> DriftDayAsync(string organization, DateOnly day, DateOnly today, CancellationToken cancellationToken)
    {
        if (day >= today)
        {
            return await catalog.Organizations.ReadDriftDayAsync(organization, day, cancellationToken);
        }
        var key = (nameof(OrgOverviewReader), organization, day);
        if (_pastDays.TryGetValue(key, out IReadOnlyList<OrgRunEntry>? cached) && cached is not null)
        {
            return cached;
        }
        var runs = await catalog.Organizations.ReadDriftDayAsync(organization, day, cancellationToken);
        _pastDays.Set(key, (IReadOnlyList<OrgRunEntry>)runs, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = PastDayReuse, Size = 1 });
        return runs;
    }
}
