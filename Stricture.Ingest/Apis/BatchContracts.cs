using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Stricture.Ingest.Apis;

/// <summary>
/// One item's outcome in a batch: its index in <c>items</c>, the status a single post of it would have
/// answered, and that answer's body: the 202's fields, or the problem.
/// </summary>
public sealed record BatchItemResult(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("status")] int Status)
{
    [JsonPropertyName("run_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RunId { get; init; }

    [JsonPropertyName("location"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Location { get; init; }

    [JsonPropertyName("sha256"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256 { get; init; }

    [JsonPropertyName("size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Size { get; init; }

    [JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    [JsonPropertyName("drift"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DriftResponse? Drift { get; init; }

    [JsonPropertyName("problem"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProblemDetails? Problem { get; init; }
}

/// <summary>The body of POST /v1/artifacts/batch, for the OpenAPI document only: the endpoint splits it with BatchEnvelopeParser.</summary>
public sealed class BatchRequestDocument
{
    /// <summary>1 to 100 artifact posts, each validated, authorized and stored as if posted alone.</summary>
    [JsonPropertyName("items")] public required IReadOnlyList<IngestRequestDocument> Items { get; init; }
}

/// <summary>The 200 body of POST /v1/artifacts/batch: every item's outcome, in item order.</summary>
public sealed record BatchResponse([property: JsonPropertyName("results")] IReadOnlyList<BatchItemResult> Results);
