using Stricture.Storage.Discovery;
using Stricture.Storage.Drift;

namespace Stricture.Ingest.Ui.Models;

/// <summary>
/// Builds the organisation page from the same organisation-level derived objects as
/// <c>/v1/orgs/{org}/services</c> and <c>/drift</c>, through <see cref="OrgQueries"/>: the service
/// directory (its size follows the services, not the history) and the drift index of the last
/// <see cref="SparklineDays"/> days (its size follows the drifted runs of those days). No payload is read.
/// </summary>
public sealed class OrgOverviewReader(OrgQueries queries, TimeProvider time)
{
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
        await foreach (var run in DriftedRunsAsync(organization, project, first, today, visible, cancellationToken))
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

    private async IAsyncEnumerable<OrgRunEntry> DriftedRunsAsync(
        string organization, string? project, DateOnly from, DateOnly to, Func<string, bool> visible,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DriftCursor? cursor = null;
        do
        {
            var page = await queries.ListDriftAsync(organization,
                new DriftQuery(from, to, DriftSeverity.Low, project, DriftQuery.MaxLimit, cursor), visible, cancellationToken);
            foreach (var run in page.Runs)
            {
                yield return run;
            }
            cursor = page.Next;
        }
        while (cursor is not null);
    }
}
