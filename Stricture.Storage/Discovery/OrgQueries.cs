using Stricture.Storage.Catalog;

namespace Stricture.Storage.Discovery;

/// <summary>A page request for an organization's services: optionally one project, after a cursor, at most a limit.</summary>
public sealed record ServicesQuery(string? Project, int Limit, ServiceCursor? Cursor)
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;
}

/// <summary>
/// A page request for an organization's drift feed: runs of the days <see cref="From"/> to
/// <see cref="To"/> (inclusive, the date partition) with a change at or above
/// <see cref="MinSeverity"/>, optionally of one project and of one impact scope (<see cref="BlastRadius.ImpactScope"/>), newest first, after a cursor.
/// </summary>
public sealed record DriftQuery(DateOnly From, DateOnly To, string MinSeverity, string? Project, int Limit, DriftCursor? Cursor, string? Impact = null)
{
    /// <summary>The widest range: a query reads each day's drift index (its shards at once), so this bounds its cost.</summary>
    public const int MaxDays = 31;

    public const int DefaultDays = 7;
    public const int MaxLimit = 500;
    public const int DefaultLimit = 50;
}

public sealed record ServicePage(IReadOnlyList<OrgRunEntry> Services, ServiceCursor? Next);

public sealed record DriftPage(IReadOnlyList<OrgRunEntry> Runs, DriftCursor? Next);

/// <summary>
/// Answers the organization-level queries from the derived objects of <see cref="OrgCatalog"/>,
/// never from payloads or by listing services: the services listing reads the directory's shards
/// (their size grows with the number of services, not of runs); the drift feed reads one day's
/// drift index at a time, newest first, and stops once the page is full. The <c>visible</c> filter
/// says which projects the caller may see: the others are left out as if they did not exist.
/// </summary>
public sealed class OrgQueries(RunCatalog catalog)
{
    public async Task<ServicePage> ListServicesAsync(string organization, ServicesQuery query, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        var all = await catalog.Organizations.ReadServicesAsync(organization, cancellationToken);
        var page = all
            .Where(entry => visible(entry.Project) && (query.Project is null || entry.Project == query.Project) &&
                            (query.Cursor is null || query.Cursor.Precedes(entry)))
            .Take(query.Limit + 1)
            .ToList();
        if (page.Count <= query.Limit)
        {
            return new ServicePage(page, Next: null);
        }
        page.RemoveAt(page.Count - 1);
        return new ServicePage(page, ServiceCursor.After(page[^1]));
    }

    public async Task<DriftPage> ListDriftAsync(string organization, DriftQuery query, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        // One more than the page, to know whether there is a next page.
        var runs = new List<OrgRunEntry>(Math.Min(query.Limit, 256) + 1);
        // Days after the cursor's hold only runs newer than it: later pages skip them.
        var newestDay = query.Cursor is { } cursor && cursor.Day < query.To ? cursor.Day : query.To;
        for (var day = newestDay; day >= query.From && runs.Count <= query.Limit; day = day.AddDays(-1))
        {
            var indexed = await catalog.Organizations.ReadDriftDayAsync(organization, day, cancellationToken);
            for (var i = indexed.Count - 1; i >= 0 && runs.Count <= query.Limit; i--)
            {
                var entry = indexed[i];
                if (entry.Drift is { } drift && drift.Reaches(query.MinSeverity) && visible(entry.Project) &&
                    (query.Impact is null || entry.Impact?.Scope == query.Impact) &&
                    (query.Project is null || entry.Project == query.Project) && (query.Cursor is null || query.Cursor.Precedes(entry)))
                {
                    runs.Add(entry);
                }
            }
        }
        if (runs.Count <= query.Limit)
        {
            return new DriftPage(runs, Next: null);
        }
        runs.RemoveAt(runs.Count - 1);
        return new DriftPage(runs, DriftCursor.After(runs[^1]));
    }
}
