using System.Globalization;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Keys;

/// <summary>
/// The canonical key layout, the same on every driver (the filesystem driver uses keys as paths
/// under its data directory, so a data directory and a bucket hold the same tree):
/// <code>
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/date=&lt;YYYY-MM-DD&gt;/run=&lt;run_id&gt;/payload.json
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/runs/run=&lt;run_id&gt;.json
/// </code>
/// The second is the run index entry: it maps a run id to its dated payload key, which is what
/// keeps a retry idempotent when it arrives on a later date.
/// </summary>
public sealed class RecordKeys
{
    public RecordKeys(string prefix)
    {
        var trimmed = prefix.Trim('/');
        _root = trimmed.Length == 0 ? "v1" : trimmed + "/v1";
    }

    private readonly string _root;

    public string ServicePrefix(ServiceIdentity service) =>
        $"{_root}/org={service.Organization}/project={service.Project}/service={service.Service}/";

    public string Payload(RunIdentity run, DateOnly partitionDate) =>
        ServicePrefix(run.Service) +
        $"date={partitionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/run={run.RunId}/payload.json";

    public string RunIndexEntry(RunIdentity run) => ServicePrefix(run.Service) + $"runs/run={run.RunId}.json";

    /// <summary>The date partition of a run: the UTC date of generated_at when given, else of received_at.</summary>
    public static DateOnly PartitionDate(DateTimeOffset? generatedAt, DateTimeOffset receivedAt) =>
        DateOnly.FromDateTime((generatedAt ?? receivedAt).UtcDateTime);
}
