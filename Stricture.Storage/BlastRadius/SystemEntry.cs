using System.Text.Json.Serialization;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// One service's part in one system, from that service's latest export: the fields it publishes for
/// the system and its fields that consume it. Stored per (system, service), so a post rewrites only
/// its own small objects, and only those whose part changed: an entry holds no run (the service's
/// latest pointer says which run the index holds), so an export that repeats the last one writes
/// no entry. An entry with neither is a tombstone: the service's newer export stopped touching the
/// system (the stores have no delete); readers skip it.
/// </summary>
public sealed record SystemEntry(
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("publishes")] IReadOnlyList<PublishedField> Publishes,
    [property: JsonPropertyName("consumes")] IReadOnlyList<ConsumingField> Consumes)
{
    [JsonIgnore]
    public bool IsTombstone => Publishes.Count == 0 && Consumes.Count == 0;
}

/// <summary>
/// Which systems a service's index entries may be live in: what the next post reads to know which
/// entries to rewrite or tombstone, so it never scans the index. It changes only when the systems
/// its exports touch change; the order of runs is the service's latest pointer's.
/// </summary>
public sealed record ServiceFootprint([property: JsonPropertyName("systems")] IReadOnlyList<string> Systems);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SystemEntry))]
[JsonSerializable(typeof(ServiceFootprint))]
internal sealed partial class BlastRadiusJsonContext : JsonSerializerContext;
