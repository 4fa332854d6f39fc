using System.Text.Json;
using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Records;

/// <summary>
/// <c>runs/run=&lt;run_id&gt;.json</c>: the claim on a run id, created (if absent) before the payload.
/// It fixes where the payload lives and with which received_at, so a retry on a later date, or a
/// racing duplicate, writes the same bytes to the same key instead of a second record. Its first
/// four fields depend on nothing but the post, so it can be written while the payload is staged,
/// and can be rebuilt from the payload it points to.
/// A run with a diff also has its <see cref="RunAssessment"/> here (<c>impact</c>, <c>gate</c>),
/// decided just before the claim: the claim is what a retry reads back, so a retry answers what the
/// first post was told, and the assessment costs no object of its own.
/// </summary>
public sealed record RunIndexEntry(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("content_sha256")] string ContentSha256)
{
    /// <summary>The run's blast radius, as decided when it was claimed (null without a diff, or when it was not assessed).</summary>
    [JsonPropertyName("impact")]
    public RunImpact? Impact { get; init; }

    /// <summary>The run's gate decision, as decided when it was claimed (null when the run was not assessed).</summary>
    [JsonPropertyName("gate")]
    public GateDecision? Gate { get; init; }

    /// <summary>The recorded assessment, or null when the run was not assessed (no diff, or blast radius off).</summary>
    [JsonIgnore]
    public RunAssessment? Assessment => Gate is null ? null : new RunAssessment(Impact, Gate);

    public RunIndexEntry WithAssessment(RunAssessment? assessment) =>
        assessment is null ? this : this with { Impact = assessment.Impact, Gate = assessment.Gate };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StorageJsonContext.Default.RunIndexEntry);

    /// <summary>The entry at <paramref name="key"/>, or null when there is none (a run never claimed).</summary>
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
