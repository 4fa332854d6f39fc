using System.Globalization;
using System.Text.RegularExpressions;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Keys;

/// <summary>
/// The canonical key layout, the same on every driver (the filesystem driver uses keys as paths
/// under its data directory, so a data directory and a bucket hold the same tree):
/// <code>
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/runs/run=&lt;run_id&gt;.json
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/manifests/date=&lt;YYYY-MM-DD&gt;.jsonl
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/manifests/date=&lt;YYYY-MM-DD&gt;/seg=&lt;000000000001&gt;.jsonl
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/manifests/date=&lt;YYYY-MM-DD&gt;/compacted.json
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/latest.json
/// </code>
/// The first is the run's record: one object per run, at a key that depends on the run id alone,
/// so its conditional create is the claim on the run id whatever day a retry arrives. The rest are
/// derived from the records (see <see cref="Catalog.RunCatalog"/>): a day's compacted manifest, the
/// immutable segments appended since, the mark saying which segments the compacted manifest already
/// holds, and the latest pointer.
/// <para>
/// Data written before records moved there keeps the dated layout: the record at
/// <c>service=&lt;s&gt;/date=&lt;YYYY-MM-DD&gt;/run=&lt;run_id&gt;/payload.json</c> (<see cref="DatedPayload"/>) and,
/// at <see cref="Record"/>'s key, a claim naming it (<see cref="Records.RunIndexEntry"/>).
/// Both are read wherever runs are read; nothing writes them any more.
/// </para>
/// </summary>
public sealed partial class RecordKeys
{
    public RecordKeys(string prefix)
    {
        var trimmed = prefix.Trim('/');
        Root = trimmed.Length == 0 ? "v1/" : trimmed + "/v1/";
    }

    /// <summary>The prefix every record key starts with (ends in '/').</summary>
    public string Root { get; }

    public string ServicePrefix(ServiceIdentity service) =>
        $"{Root}org={service.Organization}/project={service.Project}/service={service.Service}/";

    /// <summary>A run's record (or, in the dated layout, its claim): the key depends on nothing but the run's identity.</summary>
    public string Record(RunIdentity run) => ServicePrefix(run.Service) + $"runs/run={run.RunId}.json";

    /// <summary>Where the dated layout kept a run's record; only data written before records moved to <see cref="Record"/> has one.</summary>
    public string DatedPayload(RunIdentity run, DateOnly partitionDate) =>
        ServicePrefix(run.Service) + $"date={FormatDate(partitionDate)}/run={run.RunId}/payload.json";

    public string Manifest(ServiceIdentity service, DateOnly partitionDate) =>
        ServicePrefix(service) + $"manifests/date={FormatDate(partitionDate)}.jsonl";

    /// <summary>
    /// A day's manifest segment <paramref name="number"/> (1, 2, ...): zero-padded, so segments list in
    /// the order they were appended.
    /// </summary>
    public string ManifestSegment(ServiceIdentity service, DateOnly partitionDate, long number) =>
        ServicePrefix(service) + $"manifests/date={FormatDate(partitionDate)}/seg={number.ToString("D12", CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>A day's compaction mark: through which segment the compacted manifest holds every entry.</summary>
    public string CompactionMark(ServiceIdentity service, DateOnly partitionDate) =>
        ServicePrefix(service) + $"manifests/date={FormatDate(partitionDate)}/compacted.json";

    public string Latest(ServiceIdentity service) => ServicePrefix(service) + "latest.json";

    /// <summary>Recognises a record key (<see cref="Record"/>) under <see cref="Root"/>; anything else is not one.</summary>
    public bool TryParseRecord(string key, out RunIdentity run)
    {
        run = null!;
        if (!key.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }
        var match = RecordPattern().Match(key, Root.Length);
        return match.Success && TryParseRun(match, out run);
    }

    /// <summary>A record key or a dated payload key: the key of a run as the spool and the mirror name it.</summary>
    public bool TryParseRun(string key, out RunIdentity run) => TryParseRecord(key, out run) || TryParseDatedPayload(key, out run, out _);

    /// <summary>Recognises a dated payload key (<see cref="DatedPayload"/>) under <see cref="Root"/>; anything else (records, manifests, strays) is not one.</summary>
    public bool TryParseDatedPayload(string key, out RunIdentity run, out DateOnly partitionDate)
    {
        run = null!;
        partitionDate = default;
        if (!key.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }
        var match = PayloadPattern().Match(key, Root.Length);
        if (!match.Success ||
            !DateOnly.TryParseExact(match.Groups["date"].ValueSpan, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out partitionDate))
        {
            return false;
        }
        return TryParseRun(match, out run);
    }

    /// <summary>A key written by anyone else may hold any names: only valid identities are runs.</summary>
    private static bool TryParseRun(Match match, out RunIdentity run)
    {
        run = null!;
        if (!ServiceIdentity.TryCreate(match.Groups["org"].Value, match.Groups["project"].Value, match.Groups["service"].Value, out var service, out _) ||
            !service.TryWithRun(match.Groups["run"].Value, out var parsed, out _))
        {
            return false;
        }
        run = parsed;
        return true;
    }

    /// <summary>
    /// Recognises any key of a day's manifest (the compacted manifest, a segment, the compaction mark)
    /// and gives the day's compacted manifest key, which sorts just before the day's other keys.
    /// </summary>
    public bool TryParseManifestDay(string key, out ServiceIdentity service, out DateOnly partitionDate, out string manifestKey)
    {
        service = null!;
        partitionDate = default;
        manifestKey = "";
        if (!key.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }
        var match = ManifestDayPattern().Match(key, Root.Length);
        if (!match.Success ||
            !DateOnly.TryParseExact(match.Groups["date"].ValueSpan, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out partitionDate))
        {
            return false;
        }
        if (!ServiceIdentity.TryCreate(match.Groups["org"].Value, match.Groups["project"].Value, match.Groups["service"].Value, out var parsed, out _))
        {
            return false;
        }
        service = parsed;
        manifestKey = Manifest(service, partitionDate);
        return true;
    }

    /// <summary>The date partition of a run: the UTC date of generated_at when given, else of received_at.</summary>
    public static DateOnly PartitionDate(DateTimeOffset? generatedAt, DateTimeOffset receivedAt) =>
        DateOnly.FromDateTime((generatedAt ?? receivedAt).UtcDateTime);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\Gorg=(?<org>[^/]+)/project=(?<project>[^/]+)/service=(?<service>[^/]+)/date=(?<date>[^/]+)/run=(?<run>[^/]+)/payload\.json\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex PayloadPattern();

    [GeneratedRegex(@"\Gorg=(?<org>[^/]+)/project=(?<project>[^/]+)/service=(?<service>[^/]+)/runs/run=(?<run>[^/]+)\.json\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex RecordPattern();

    [GeneratedRegex(@"\Gorg=(?<org>[^/]+)/project=(?<project>[^/]+)/service=(?<service>[^/]+)/manifests/date=(?<date>[0-9-]{10})(\.jsonl\z|/seg=[0-9]{12}\.jsonl\z|/compacted\.json\z)",
        RegexOptions.CultureInvariant)]
    private static partial Regex ManifestDayPattern();
}
