using System.Text.Json;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Ui.Models;

/// <summary>One change of the run's diff, as the changes table lists it.</summary>
public sealed record ChangeRow(string FieldId, string ChangeType, string Severity, string Message, bool Overridden);

/// <summary>
/// What the run page shows, read from the run's stored envelope (one read: the run itself is what
/// the page is about): identity, times, commit, metadata, where it is stored and its SHA-256, the
/// artifact's field count, every change of the diff, its drift counts and the markdown summary; and,
/// read beside it, the run's recorded blast radius and gate decision.
/// </summary>
public sealed record RunDetails(
    RunIdentity Run,
    string Key,
    string Sha256,
    long Size,
    string? CommitSha,
    string? GeneratedAt,
    string? ReceivedAt,
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    int ArtifactFieldCount,
    DriftSummary? Drift,
    IReadOnlyList<ChangeRow> Changes,
    string? Summary)
{
    /// <summary>The run's impact and gate decision, recorded when it was accepted (null without a diff).</summary>
    public RunAssessment? Assessment { get; init; }

    public static RunDetails From(RunIdentity run, StoredObject stored)
    {
        using var document = JsonDocument.Parse(stored.Content);
        var root = document.RootElement;
        var metadata = root.TryGetProperty("metadata", out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().Select(pair => KeyValuePair.Create(pair.Name, pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText())).ToList()
            : [];
        var hasDiff = root.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.Object;
        return new RunDetails(
            run, stored.Key, stored.Sha256, stored.Content.Length,
            Text(root, "commit_sha"), Text(root, "generated_at"), Text(root, "received_at"),
            metadata,
            root.TryGetProperty("artifact", out var artifact) ? CountFields(artifact) : 0,
            hasDiff ? DriftSummary.FromDiff(diff) : null,
            hasDiff ? ReadChanges(diff) : [],
            Text(root, "summary"));
    }

    /// <summary>The distinct change types, for the table's filter.</summary>
    public IReadOnlyList<string> ChangeTypes => Changes.Select(change => change.ChangeType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static IReadOnlyList<ChangeRow> ReadChanges(JsonElement diff) =>
        diff.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array
            ? changes.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.Object)
                .Select(item => new ChangeRow(
                    Text(item, "field_id") ?? "",
                    Text(item, "change_type") ?? "",
                    Text(item, "severity") is { Length: > 0 } severity ? severity : DriftSummary.Unspecified,
                    Text(item, "message") ?? "",
                    item.TryGetProperty("overridden", out var flag) && flag.ValueKind == JsonValueKind.True))
                .ToList()
            : [];

    /// <summary>
    /// The fields an artifact describes: the entries of every <c>fields</c> array in it (lineage-export
    /// keeps them per node under <c>schema.fields</c>). Depth-first over the parsed document, so bounded by its size.
    /// </summary>
    private static int CountFields(JsonElement element)
    {
        var count = 0;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                count += property.NameEquals("fields") && property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.GetArrayLength() + property.Value.EnumerateArray().Sum(CountFields)
                    : CountFields(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            count += element.EnumerateArray().Sum(CountFields);
        }
        return count;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
