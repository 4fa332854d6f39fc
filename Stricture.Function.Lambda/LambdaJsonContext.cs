using System.Text.Json.Serialization;

namespace Stricture.Function.Lambda;

/// <summary>Source-generated serializers for the adapter's documents: no reflection on the cold-start path.</summary>
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(LambdaRuntimeError))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
// The types of problem extension values (the converter serializes them by their runtime type).
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
