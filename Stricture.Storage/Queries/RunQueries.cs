using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;

namespace Stricture.Storage.Queries;

/// <summary>
/// Answers the read API from the catalog, with no database: latest from <c>latest.json</c>, a date
/// range from one manifest per day (newest day first, stopping once the page is full), a run by id
/// from its record (one read; two for a run kept in the dated layout). The cost of a query depends on the days it spans and the runs it
/// returns, never on how many runs the service has stored in all.
/// </summary>
public sealed class RunQueries(IObjectStore store, RecordKeys keys, RunCatalog catalog)
{
    /// <summary>The newest run's id, stored envelope and drift summary (from the latest pointer), or null when the service has no runs.</summary>
    public async Task<(ManifestEntry Latest, StoredObject Envelope)?> GetLatestAsync(ServiceIdentity service, CancellationToken cancellationToken) =>
        await catalog.ReadLatestAsync(service, cancellationToken) is { } latest &&
        await store.ReadAsync(latest.Key, cancellationToken) is { } envelope
            ? (latest, envelope)
            : null;

    /// <summary>
    /// A stored run: its record, and its claim facts (received_at, fingerprint, and the impact and gate
    /// decided when it was accepted). Null when no such run was stored.
    /// </summary>
    public Task<StoredRun?> GetRunAsync(RunIdentity run, CancellationToken cancellationToken) =>
        StoredRun.ReadAsync(store, keys.Record(run), cancellationToken);

    /// <summary>True when the service has stored at least one run.</summary>
    public async Task<bool> ServiceExistsAsync(ServiceIdentity service, CancellationToken cancellationToken) =>
        await catalog.ReadLatestAsync(service, cancellationToken) is not null;

    public async Task<RunPage> ListAsync(ServiceIdentity service, RunQuery query, CancellationToken cancellationToken)
    {
        // One more than the page, to know whether there is a next page.
        var runs = new List<ManifestEntry>(Math.Min(query.Limit, 256) + 1);
        // Days after the cursor's hold only runs newer than it: later pages skip them.
        var newestDay = query.Cursor is { } cursor && cursor.Day < query.To ? cursor.Day : query.To;
        for (var day = newestDay; day >= query.From && runs.Count <= query.Limit; day = day.AddDays(-1))
        {
            var manifest = await catalog.ReadManifestAsync(service, day, cancellationToken);
            for (var i = manifest.Count - 1; i >= 0 && runs.Count <= query.Limit; i--)
            {
                var entry = manifest[i];
                if ((query.Cursor is null || query.Cursor.IsBefore(entry)) &&
                    (query.CommitPrefix is null || entry.CommitSha?.StartsWith(query.CommitPrefix, StringComparison.Ordinal) == true))
                {
                    runs.Add(entry);
                }
            }
        }
        if (runs.Count <= query.Limit)
        {
            return new RunPage(runs, Next: null);
        }
        runs.RemoveAt(runs.Count - 1);
        return new RunPage(runs, RunCursor.After(runs[^1]));
    }
}
