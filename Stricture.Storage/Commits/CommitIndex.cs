using Stricture.Storage.Discovery;

namespace Stricture.Storage.Commits;

/// <summary>
/// The commit index: for each organization, every run that carries a commit SHA, with its project,
/// service, times, payload SHA-256 and size, found by the commit's first characters. It answers "what
/// did commit X produce?" over all history and across services without reading a payload or listing
/// anything.
///
/// It is split by the first <see cref="ShardPrefixLength"/> hexadecimal characters of the SHA into
/// at most 4,096 shards per organization, each an append-only <see cref="ShardLog"/> kept by
/// <see cref="OrgCatalog"/> like the service directory and the drift index: a post appends one
/// segment to its commit's shard (the cost is one create, whatever the history), compaction folds the
/// segments in the background, reconcile rebuilds it from the payloads. A lookup by a prefix of
/// <see cref="MinPrefixLength"/> characters or more lies in exactly one shard, so it reads one
/// compacted document and the segments after its mark. A shard holds 1/4,096 of the organization's
/// runs with commits: about 25 at 100,000 runs, and a query's cost follows that, not the days or
/// services it spans.
/// </summary>
public static class CommitIndex
{
    /// <summary>Hexadecimal characters of the SHA that name its shard.</summary>
    public const int ShardPrefixLength = 3;

    /// <summary>The shortest prefix a lookup accepts (<see cref="Identity.CommitSha"/>'s rule, git's shortest abbreviation); it names one shard.</summary>
    public const int MinPrefixLength = Identity.CommitSha.MinLength;

    /// <summary>One entry per run (a service's run id is unique); by commit, then by when the run happened.</summary>
    public static readonly ShardFormat Format = new(
        entry => $"{entry.Project}/{entry.Service}/{entry.RunId}",
        replaces: null,
        ByCommit);

    /// <summary>The shard that holds the runs of commits starting with <paramref name="prefix"/> (lower-case hex, at least <see cref="ShardPrefixLength"/> long).</summary>
    public static string ShardOf(string prefix) => prefix[..ShardPrefixLength];

    /// <summary>By commit SHA, then by when the run happened, project, service and run id.</summary>
    public static int ByCommit(OrgRunEntry x, OrgRunEntry y)
    {
        var byCommit = string.CompareOrdinal(x.CommitSha, y.CommitSha);
        return byCommit != 0 ? byCommit : ShardFormat.ByOccurrence(x, y);
    }

}
