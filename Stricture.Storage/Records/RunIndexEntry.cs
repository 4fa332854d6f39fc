using System.Text.Json;
using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Records;

/// <summary>
/// A run's claim on its run id: where its record is, with which received_at and content
/// fingerprint, and (for a run with a diff) the <see cref="RunAssessment"/> decided when it was
/// accepted. For a run stored now these are the record's own server fields
/// (<see cref="Catalog.EnvelopeReader.ToIndexEntry"/>), and <see cref="Key"/> is the record's key.
/// A run in the dated layout has this as an object of its own at <c>runs/run=&lt;run_id&gt;.json</c>
/// (the JSON <see cref="ToJson"/> writes), naming its payload at a dated key: that is what
/// <see cref="Parse"/> reads.
/// </summary>
public sealed record RunIndexEntry(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("content_sha256")] string ContentSha256)
{
    /// <summary>The run's blast radius, as decided when it was accepted (null without a diff, or when it was not assessed).</summary>
    [JsonPropertyName("impact")]
    public RunImpact? Impact { get; init; }

    /// <summary>The run's gate decision, as decided when it was accepted (null when the run was not assessed).</summary>
    [JsonPropertyName("gate")]
    public GateDecision? Gate { get; init; }

    /// <summary>The recorded assessment, or null when the run was not assessed (no diff, or blast radius off).</summary>
    [JsonIgnore]
    public RunAssessment? Assessment => Gate is null ? null : new RunAssessment(Impact, Gate);

    public RunIndexEntry WithAssessment(RunAssessment? assessment) =>
        assessment is null ? this : this with { Impact = assessment.Impact, Gate = assessment.Gate };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StorageJsonContext.Default.RunIndexEntry);

    /// <summary>The dated-layout claim at <paramref name="key"/>, or null when there is none.</summary>
    public static async Task<RunIndexEntry?> ReadAsync(IObjectStore store, string key, CancellationToken cancellationToken) =>
        await store.ReadAsync(key, cancellationToken) is { } stored ? Parse(stored.Content.Span) : null;

    public static RunIndexEntry Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.RunIndexEntry)
        ?? throw new JsonException("A run index entry is null.");
}

// As the catalog's JSON is: absent members are omitted (a run without an assessment has no impact or gate).
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RunIndexEntry))]
[JsonSerializable(typeof(RunImpact))]
[JsonSerializable(typeof(GateDecision))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
