using System.Text.Json.Serialization;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Serialization of the derived objects. Null fields are left out, and properties are written in
/// declaration order, so equal entries always serialize to equal bytes. Types without explicit
/// names (the drift summary) get snake_case ones, like the rest of the stored documents.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ManifestEntry))]
[JsonSerializable(typeof(RunPosition))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

/// <summary>The members of a <see cref="ManifestEntry"/> that place it in <see cref="RunOrder"/>; the others are skipped unread.</summary>
internal sealed record RunPosition(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt);
