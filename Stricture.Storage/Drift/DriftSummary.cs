using System.Buffers;
using System.Text.Json;

namespace Stricture.Storage.Drift;

/// <summary>
/// A run's drift, derived from its lineage-diff at ingest and again, byte for byte, when the catalog
/// is rebuilt from payloads: the number of changes by severity and the first changes, highest
/// severity first.
/// <para>
/// <b>Which counts win.</b> A diff carries both <c>changes[]</c> and a <c>summary</c> object that
/// upstream computes from them. When the diff has a <c>changes</c> array, the counts come from it:
/// the changes are the evidence, the summary a convenience that an edited or truncated file can
/// contradict, and the first changes listed must agree with the counts shown beside them. Only a
/// diff without <c>changes</c> is counted from its <c>summary</c>. <see cref="Basis"/> says which,
/// and <see cref="SummaryDisagreed"/> flags a summary that the changes contradict.
/// </para>
/// <para>
/// Severities upstream does not define are counted in <see cref="Unrecognized"/> (and in
/// <see cref="Total"/>), never dropped. Overridden changes count like the others, as in upstream's
/// summary; <see cref="Overridden"/> says how many were.
/// </para>
/// </summary>
public sealed record DriftSummary(
    int Total,
    int High,
    int Medium,
    int Low,
    int Info,
    IReadOnlyDictionary<string, int> Unrecognized,
    int Overridden,
    string Basis,
    bool SummaryDisagreed,
    IReadOnlyList<DriftChange> FirstChanges)
{
    /// <summary>How many changes <see cref="FirstChanges"/> keeps: enough for a feed entry, bounded whatever the diff's size.</summary>
    public const int FirstChangesLimit = 20;

    public const string FromChanges = "changes";

    /// <summary>The severity a change without one, or a summary's unattributed total, is counted under.</summary>
    public const string Unspecified = "unspecified";
    public const string FromSummary = "summary";

    /// <summary>The count of one known severity.</summary>
    public int Count(string severity) => severity switch
    {
        DriftSeverity.High => High,
        DriftSeverity.Medium => Medium,
        DriftSeverity.Low => Low,
        DriftSeverity.Info => Info,
        _ => Unrecognized.GetValueOrDefault(severity),
    };

    /// <summary>Whether any change is at or above <paramref name="severity"/> (a known severity).</summary>
    public bool Reaches(string severity) =>
        DriftSeverity.Known.Where(known => DriftSeverity.Rank(known) >= DriftSeverity.Rank(severity)).Any(known => Count(known) > 0);

    /// <summary>The drift of a diff (a JSON object, as the ingest parser has checked it).</summary>
    public static DriftSummary FromDiff(ReadOnlySequence<byte> diff)
    {
        using var document = JsonDocument.Parse(diff);
        return FromDiff(document.RootElement);
    }

    public static DriftSummary FromDiff(JsonElement diff)
    {
        var declared = diff.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object ? summary : (JsonElement?)null;
        if (!diff.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            return declared is { } only ? FromSummaryObject(only) : Empty(FromChanges);
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var overridden = 0;
        var all = new List<DriftChange>();
        foreach (var item in changes.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var severity = Text(item, "severity");
            var change = new DriftChange(
                Text(item, "field_id"),
                Text(item, "change_type"),
                severity.Length == 0 ? Unspecified : severity,
                Text(item, "message"),
                item.TryGetProperty("overridden", out var flag) && flag.ValueKind == JsonValueKind.True);
            counts[change.Severity] = counts.GetValueOrDefault(change.Severity) + 1;
            overridden += change.Overridden ? 1 : 0;
            all.Add(change);
        }

        // Upstream's order: severity descending, then field, then change type. Stable, so a rebuild lists the same changes.
        var first = all
            .OrderByDescending(change => DriftSeverity.Rank(change.Severity))
            .ThenBy(change => change.FieldId, StringComparer.Ordinal)
            .ThenBy(change => change.ChangeType, StringComparer.Ordinal)
            .Take(FirstChangesLimit)
            .ToList();
        var result = new DriftSummary(
            Total: all.Count,
            High: counts.GetValueOrDefault(DriftSeverity.High),
            Medium: counts.GetValueOrDefault(DriftSeverity.Medium),
            Low: counts.GetValueOrDefault(DriftSeverity.Low),
            Info: counts.GetValueOrDefault(DriftSeverity.Info),
            Unrecognized: Unknown(counts),
            Overridden: overridden,
            Basis: FromChanges,
            SummaryDisagreed: false,
            FirstChanges: first);
        return declared is { } stated && !Agrees(result, stated) ? result with { SummaryDisagreed = true } : result;
    }

    private static DriftSummary FromSummaryObject(JsonElement summary)
    {
        var high = Number(summary, DriftSeverity.High);
        var medium = Number(summary, DriftSeverity.Medium);
        var low = Number(summary, DriftSeverity.Low);
        var info = Number(summary, DriftSeverity.Info);
        // A total above the known severities' sum counts changes of severities the summary does not name.
        var total = Math.Max(Number(summary, "total"), high + medium + low + info);
        var unnamed = total - (high + medium + low + info);
        var unrecognized = unnamed > 0 ? new SortedDictionary<string, int>(StringComparer.Ordinal) { [Unspecified] = unnamed } : new SortedDictionary<string, int>(StringComparer.Ordinal);
        return new DriftSummary(total, high, medium, low, info, unrecognized, 0, FromSummary, false, []);
    }

    private static DriftSummary Empty(string basis) =>
        new(0, 0, 0, 0, 0, new SortedDictionary<string, int>(StringComparer.Ordinal), 0, basis, false, []);

    private static bool Agrees(DriftSummary counted, JsonElement stated) =>
        Number(stated, "total") == counted.Total &&
        DriftSeverity.Known.All(severity => Number(stated, severity) == counted.Count(severity));

    private static SortedDictionary<string, int> Unknown(Dictionary<string, int> counts) =>
        new(counts.Where(pair => !DriftSeverity.IsKnown(pair.Key)).ToDictionary(), StringComparer.Ordinal);

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static int Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0 ? number : 0;
}
