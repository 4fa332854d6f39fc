using Stricture.Storage.Catalog;
using Stricture.Storage.Discovery;
using Stricture.Storage.Identity;
using Stricture.Storage.Queries;

namespace Stricture.Storage.Commits;

/// <summary>
/// A page request for the runs of the commits a prefix abbreviates, across an organization
/// (optionally one project), newest first. Pages end where <see cref="DriftCursor"/> says, the same
/// position (when the run happened, project, service, run id) the drift feed pages by.
/// </summary>
public sealed record CommitQuery(string Prefix, string? Project, int Limit, DriftCursor? Cursor)
{
    public const int MaxLimit = 500;
    public const int DefaultLimit = 100;
}

public sealed record CommitPage(IReadOnlyList<OrgRunEntry> Runs, DriftCursor? Next);

/// <summary>
/// Answers the queries by commit over all history from the commit index (<see cref="CommitIndex"/>):
/// one shard read, whatever the prefix's length, the organization's history or the services the
/// commit touched. The <c>visible</c> filter says which projects the caller may see.
/// </summary>
public sealed class CommitQueries(RunCatalog catalog)
{
    public async Task<CommitPage> ListAsync(string organization, CommitQuery query, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        var runs = (await catalog.Organizations.ReadCommitAsync(organization, query.Prefix, cancellationToken))
            .Where(entry => visible(entry.Project) && (query.Project is null || entry.Project == query.Project) &&
                            (query.Cursor is null || query.Cursor.Precedes(entry)))
            .ToList();
        runs.Sort((x, y) => ShardFormat.ByOccurrence(y, x));
        if (runs.Count <= query.Limit)
        {
            return new CommitPage(runs, Next: null);
        }
        runs.RemoveRange(query.Limit, runs.Count - query.Limit);
        return new CommitPage(runs, DriftCursor.After(runs[^1]));
    }

    /// <summary>One service's runs of the commits <see cref="RunQuery.CommitPrefix"/> abbreviates, over all its history, newest first.</summary>
    public async Task<RunPage> ListServiceAsync(ServiceIdentity service, RunQuery query, CancellationToken cancellationToken)
    {
        var runs = (await catalog.Organizations.ReadCommitAsync(service.Organization, query.CommitPrefix!, cancellationToken))
            .Where(entry => entry.Project == service.Project && entry.Service == service.Service)
            .Select(entry => entry.ToManifestEntry())
            .Where(entry => query.Cursor is null || query.Cursor.IsBefore(entry))
            .ToList();
        runs.Sort((x, y) => RunOrder.Instance.Compare(y, x));
        if (runs.Count <= query.Limit)
        {
            return new RunPage(runs, Next: null);
        }
        runs.RemoveRange(query.Limit, runs.Count - query.Limit);
        return new RunPage(runs, RunCursor.After(runs[^1]));
    }
}
