using System.Globalization;
using System.Text.RegularExpressions;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Keys;

/// <summary>
/// The canonical key layout, the same on every driver (the filesystem driver uses keys as paths
/// under its data directory, so a data directory and a bucket hold the same tree):
/// <code>
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/date=&lt;YYYY-MM-DD&gt;/run=&lt;run_id&gt;/payload.json
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/runs/run=&lt;run_id&gt;.json
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/manifests/date=&lt;YYYY-MM-DD&gt;.jsonl
/// &lt;prefix&gt;/v1/org=&lt;o&gt;/project=&lt;p&gt;/service=&lt;s&gt;/latest.json
/// </code>
/// The second is the run index entry: it maps a run id to its dated payload key, which is what
/// keeps a retry idempotent when it arrives on a later date. The last two are derived from the
/// payloads (see <see cref="Catalog.RunCatalog"/>).
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

    public string Payload(RunIdentity run, DateOnly partitionDate) =>
        ServicePrefix(run.Service) + $"date={FormatDate(partitionDate)}/run={run.RunId}/payload.json";

    public string RunIndexEntry(RunIdentity run) => ServicePrefix(run.Service) + $"runs/run={run.RunId}.json";

    public string Manifest(ServiceIdentity service, DateOnly partitionDate) =>
        ServicePrefix(service) + $"manifests/date={FormatDate(partitionDate)}.jsonl";

    public string Latest(ServiceIdentity service) => ServicePrefix(service) + "latest.json";

    /// <summary>Recognises a payload key under <see cref="Root"/>; anything else (index entries, manifests, strays) is not one.</summary>
    public bool TryParsePayload(string key, out RunIdentity run, out DateOnly partitionDate)
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
        var service = new ServiceIdentity(match.Groups["org"].Value, match.Groups["project"].Value, match.Groups["service"].Value);
        run = service.WithRun(match.Groups["run"].Value);
        return new[] { service.Organization, service.Project, service.Service, run.RunId }
            .All(identifier => IdentifierGrammar.Explain("identifier", identifier) is null);
    }

    /// <summary>The date partition of a run: the UTC date of generated_at when given, else of received_at.</summary>
    public static DateOnly PartitionDate(DateTimeOffset? generatedAt, DateTimeOffset receivedAt) =>
        DateOnly.FromDateTime((generatedAt ?? receivedAt).UtcDateTime);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\Gorg=(?<org>[^/]+)/project=(?<project>[^/]+)/service=(?<service>[^/]+)/date=(?<date>[^/]+)/run=(?<run>[^/]+)/payload\.json\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex PayloadPattern();
}
