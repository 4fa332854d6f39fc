using System.Text.Json.Serialization;
using Stricture.Ingest.Requests;

namespace Stricture.Ingest.Audit;

/// <summary>
/// One line of the audit log: one ingest request, accepted or not; or one webhook delivery enqueued
/// or come to its final outcome (<see cref="Webhook"/>, <see cref="DeliveryId"/>). Never holds a secret.
/// </summary>
public sealed record AuditEvent(
    [property: JsonPropertyName("time")] string Time,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("principal")] string Principal,
    [property: JsonPropertyName("remote_addr")] string? RemoteAddress,
    [property: JsonPropertyName("organization")] string? Organization,
    [property: JsonPropertyName("project")] string? Project,
    [property: JsonPropertyName("service")] string? Service,
    [property: JsonPropertyName("run_id")] string? RunId,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("scope_decision")] string? ScopeDecision,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("request_bytes")] long? RequestBytes,
    [property: JsonPropertyName("stored_bytes")] long? StoredBytes,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("trace_id")] string? TraceId)
{
    [JsonPropertyName("webhook")]
    public string? Webhook { get; init; }

    [JsonPropertyName("delivery_id")]
    public string? DeliveryId { get; init; }

    /// <summary>
    /// The identifiers as the post sent them, when STRICTURE_SERVER_IDENTIFIERS=normalize renamed any;
    /// <see cref="Organization"/>, <see cref="Project"/>, <see cref="Service"/> and <see cref="RunId"/> are as stored.
    /// </summary>
    [JsonPropertyName("sent_as")]
    public IdentifiersAsSent? SentAs { get; init; }

    /// <summary>For an item of a batch: its position in the batch's items (from 0).</summary>
    [JsonPropertyName("batch_index")]
    public int? BatchIndex { get; init; }
}

[JsonSerializable(typeof(AuditEvent))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
