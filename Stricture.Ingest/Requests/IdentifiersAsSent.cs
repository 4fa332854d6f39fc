using System.Text.Json.Serialization;

namespace Stricture.Ingest.Requests;

/// <summary>
/// The organization, project, service and run_id exactly as a post sent them, kept when
/// STRICTURE_SERVER_IDENTIFIERS=normalize renamed any of them, so the audit event records both
/// forms (as its <c>sent_as</c>).
/// </summary>
public sealed record IdentifiersAsSent(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string? RunId);
