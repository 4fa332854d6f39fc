using System.Text.Json.Serialization;

namespace Stricture.Ingest.Function.Lambda;

/// <summary>Source-generated serializers for the adapter's documents: no reflection on the cold-start path.</summary>
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(LambdaRuntimeError))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
