using System.Text.Json.Serialization;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Serialization of the derived objects. Null fields are left out, and properties are written in
/// declaration order, so equal entries always serialize to equal bytes.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ManifestEntry))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
