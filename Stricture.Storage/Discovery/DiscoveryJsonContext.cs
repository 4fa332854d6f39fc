using System.Text.Json.Serialization;

namespace Stricture.Storage.Discovery;

/// <summary>
/// Serialization of the organization-level objects: nulls left out, properties in declaration
/// order, snake_case names, so equal entries serialize to equal bytes.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OrgRunEntry))]
[JsonSerializable(typeof(ShardHeader))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
