using Stricture.Storage.Catalog;

namespace Stricture.Storage.Discovery;

/// <summary>
/// What one kind of organization-level object keeps: entries are the same run or service when their
/// <see cref="Identity"/> is equal, and then the one that <see cref="Replaces"/> the other wins (a
/// format without that rule is <see cref="AppendOnly"/>: the first entry stays); the
/// compacted document lists them in its order (<see cref="Sort"/>). Merging is therefore order-independent, and
/// a rebuild from payloads gives the same entries. Identity, order and the replace rule read only an
/// entry's string members before <c>drift</c> (project, service, run id, key, times, commit): a
/// compaction reads only those of the lines it keeps (<see cref="ShardSplice"/>).
/// </summary>
public sealed class ShardFormat(Func<OrgRunEntry, string> identity, Func<OrgRunEntry, OrgRunEntry, bool>? replaces, Comparison<OrgRunEntry> order)
{
    /// <summary>The service directory: one entry per project and service, its newest run in <see cref="RunOrder"/>.</summary>
    public static readonly ShardFormat Directory = new(
        entry => $"{entry.Project}/{entry.Service}",
        (candidate, current) => RunOrder.Compare(candidate.OccurredAt, candidate.RunId, current.OccurredAt, current.RunId) > 0,
        ByService);

    /// <summary>A day's drift index: one entry per run (a service's run id is unique), oldest first.</summary>
    public static readonly ShardFormat DriftIndex = new(
        entry => $"{entry.Project}/{entry.Service}/{entry.RunId}",
        replaces: null,
        ByOccurrence);

    public string Identity(OrgRunEntry entry) => identity(entry);

    /// <summary>Whether entries are only ever added (no <c>replaces</c> rule): an entry, once in, stays as it is.</summary>
    public bool AppendOnly => replaces is null;

    public bool Replaces(OrgRunEntry candidate, OrgRunEntry current) => replaces?.Invoke(candidate, current) ?? false;

    public void Sort(List<OrgRunEntry> entries) => entries.Sort(order);

    public int Compare(OrgRunEntry x, OrgRunEntry y) => order(x, y);

    /// <summary>By project, then service (ordinal), the order of the services listing.</summary>
    public static int ByService(OrgRunEntry x, OrgRunEntry y)
    {
        var byProject = string.CompareOrdinal(x.Project, y.Project);
        return byProject != 0 ? byProject : string.CompareOrdinal(x.Service, y.Service);
    }

    /// <summary>By when the run happened, then project, service and run id: the feed's order, read backwards.</summary>
    public static int ByOccurrence(OrgRunEntry x, OrgRunEntry y)
    {
        var byTime = string.CompareOrdinal(x.OccurredAt, y.OccurredAt);
        if (byTime != 0)
        {
            return byTime;
        }
        var byService = ByService(x, y);
        return byService != 0 ? byService : string.CompareOrdinal(x.RunId, y.RunId);
    }
}
