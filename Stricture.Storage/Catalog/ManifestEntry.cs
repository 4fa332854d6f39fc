using System.Globalization;
using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Drift;

namespace Stricture.Storage.Catalog;

/// <summary>
/// One run as the derived objects describe it: a line of a day's manifest, and the whole of
/// <c>latest.json</c>. Every field comes from the stored payload (its key, its bytes' SHA-256 and
/// size, and its envelope), so a rebuild from payloads writes exactly what ingest wrote.
/// Timestamps are UTC RFC 3339 with a fixed 7-digit fraction, so they order as text.
/// <see cref="Drift"/> is the run's drift summary (null when the post had no diff); manifests
/// written before it existed lack the field and read as null.
/// </summary>
public sealed record ManifestEntry(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt,
    [property: JsonPropertyName("commit_sha")] string? CommitSha,
    [property: JsonPropertyName("drift")] DriftSummary? Drift = null)
{
    /// <summary>The run's blast radius (null without a diff) in its listed form (<see cref="RunImpact.Listed"/>), from its recorded <see cref="RunAssessment"/>.</summary>
    [JsonPropertyName("impact")]
    public RunImpact? Impact { get; init; }

    /// <summary>The run's gate decision (null without a diff: such a run passes), copied from its recorded <see cref="RunAssessment"/>.</summary>
    [JsonPropertyName("gate")]
    public GateDecision? Gate { get; init; }

    /// <summary>This entry with the run's assessment, when it has one: its gate, and its impact as listings keep it.</summary>
    public ManifestEntry WithAssessment(RunAssessment? assessment) =>
        assessment is null ? this : this with { Impact = assessment.Impact?.Listed(), Gate = assessment.Gate };

    /// <summary>When the run happened, for ordering: generated_at when the producer gave it, else received_at.</summary>
    [JsonIgnore]
    public string OccurredAt => GeneratedAt ?? ReceivedAt;

    /// <summary>The day whose manifest lists the run: the UTC date of <see cref="OccurredAt"/> (both timestamps are UTC, date first).</summary>
    [JsonIgnore]
    public DateOnly PartitionDate => DateOnly.ParseExact(OccurredAt.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
