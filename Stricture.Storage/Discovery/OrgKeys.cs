using System.Globalization;
using Stricture.Storage.Keys;

namespace Stricture.Storage.Discovery;

/// <summary>
/// Where the organization-level objects live, beside the organization's projects (a project's keys
/// start with <c>project=</c>, so these never collide with one):
/// <code>
/// &lt;root&gt;org=&lt;o&gt;/services/shard=&lt;NN&gt;.jsonl                      the service directory, one compacted shard
/// &lt;root&gt;org=&lt;o&gt;/services/shard=&lt;NN&gt;/seg=&lt;000000000001&gt;.jsonl   its segments appended since
/// &lt;root&gt;org=&lt;o&gt;/drift/date=&lt;YYYY-MM-DD&gt;/shard=&lt;NN&gt;.jsonl        a day's drift index, one compacted shard
/// &lt;root&gt;org=&lt;o&gt;/drift/date=&lt;YYYY-MM-DD&gt;/shard=&lt;NN&gt;/seg=&lt;...&gt;.jsonl
/// &lt;root&gt;org=&lt;o&gt;/commits/sha=&lt;abc&gt;.jsonl                        the commit index, one compacted shard
/// &lt;root&gt;org=&lt;o&gt;/commits/sha=&lt;abc&gt;/seg=&lt;...&gt;.jsonl
/// </code>
/// A service always falls in the same shard (<see cref="ShardOf"/>), so posts from many services
/// spread over <see cref="Shards"/> independent logs instead of contending for one object.
/// </summary>
public sealed class OrgKeys(RecordKeys keys)
{
    /// <summary>Shards per organization-level object: a post appends to one, a query reads them all at once.</summary>
    public const int Shards = 8;

    private static readonly string[] DerivedFolders = ["services/", "drift/", "commits/", "blast/"];

    public string DirectoryShard(string organization, int shard) =>
        $"{keys.Root}org={organization}/services/shard={shard.ToString("D2", CultureInfo.InvariantCulture)}";

    public string DriftShard(string organization, DateOnly day, int shard) =>
        $"{keys.Root}org={organization}/drift/date={RecordKeys.FormatDate(day)}/shard={shard.ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>The commit index's shard of the commits starting with <paramref name="shaPrefix"/> (<see cref="Commits.CommitIndex.ShardOf"/>).</summary>
    public string CommitShard(string organization, string shaPrefix) => $"{keys.Root}org={organization}/commits/sha={shaPrefix}";

    /// <summary>
    /// True for any key of an organization-level object (a compacted shard or a segment): derived,
    /// kept by each store on its own, like a day's manifest segments.
    /// </summary>
    /// <remarks>The blast-radius index (<c>blast/</c>) is kept by each store on its own too.</remarks>
    public bool IsOrgObject(string key)
    {
        if (!key.StartsWith(keys.Root + "org=", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = key.AsSpan(keys.Root.Length + "org=".Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var folder = rest[(slash + 1)..];
        foreach (var derived in DerivedFolders)
        {
            if (folder.StartsWith(derived, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A shard's compacted document.</summary>
    public static string Compacted(string shardKey) => shardKey + ".jsonl";

    /// <summary>A shard's segment <paramref name="number"/> (1, 2, ...), zero-padded so segments list in order.</summary>
    public static string Segment(string shardKey, long number) =>
        $"{shardKey}/seg={number.ToString("D12", CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>A stable shard for a project's service (FNV-1a of its names): the same in every process and release.</summary>
    public static int ShardOf(string project, string service)
    {
        var hash = 2166136261u;
        foreach (var character in $"{project}/{service}")
        {
            hash = (hash ^ character) * 16777619u;
        }
        return (int)(hash % Shards);
    }
}
