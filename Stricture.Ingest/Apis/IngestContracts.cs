using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;

namespace Stricture.Ingest.Apis;

/// <summary>
/// The 202 body of POST /v1/artifacts: the identifiers as stored (renamed from what was sent when
/// STRICTURE_SERVER_IDENTIFIERS=normalize), the run's location and hash; drift is the run's drift
/// summary and impact its blast radius, both null when the post had no diff; gate is the run's gate
/// decision (a pass without a diff).
/// </summary>
public sealed record IngestResponse(
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("created")] bool Created,
    [property: JsonPropertyName("drift")] DriftResponse? Drift,
    [property: JsonPropertyName("impact")] RunImpact? Impact,
    [property: JsonPropertyName("gate")] GateResponse Gate);

/// <summary>
/// The body of POST /v1/artifacts, for the OpenAPI document only: the endpoint reads the body with
/// its own streaming parser (SubmissionParser), which enforces exactly these fields and no others.
/// </summary>
public sealed class IngestRequestDocument
{
    /// <summary>Identifier: lowercase letters, digits, '.', '_', '-'; 1-128 characters; starts with a letter or digit.</summary>
    [JsonPropertyName("organization")] public required string Organization { get; init; }

    /// <summary>Identifier, same grammar as organization.</summary>
    [JsonPropertyName("project")] public required string Project { get; init; }

    /// <summary>Identifier, same grammar as organization.</summary>
    [JsonPropertyName("service")] public required string Service { get; init; }

    /// <summary>Identifier; generated (time-sortable) when absent. Posting the same run_id again is idempotent.</summary>
    [JsonPropertyName("run_id")] public string? RunId { get; init; }

    /// <summary>4 to 64 hexadecimal characters, either case; stored lower case.</summary>
    [JsonPropertyName("commit_sha")] public string? CommitSha { get; init; }

    /// <summary>RFC 3339 date-time with a time zone; its UTC date is the record's date partition.</summary>
    [JsonPropertyName("generated_at")] public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>The lineage-export artifact.</summary>
    [JsonPropertyName("artifact")] public required JsonObject Artifact { get; init; }

    /// <summary>An optional lineage-diff artifact.</summary>
    [JsonPropertyName("diff")] public JsonObject? Diff { get; init; }

    /// <summary>An optional markdown summary.</summary>
    [JsonPropertyName("summary")] public string? Summary { get; init; }

    /// <summary>Optional free-form metadata.</summary>
    [JsonPropertyName("metadata")] public JsonObject? Metadata { get; init; }
}
