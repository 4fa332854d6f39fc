using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Discovery;

namespace Stricture.Ingest.Apis;

/// <summary>A run as the organization-wide answers show it: where it belongs, when it happened, its commit, where to fetch it, its drift and impact.</summary>
public sealed record OrgRunResponse(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt,
    [property: JsonPropertyName("commit_sha")] string? CommitSha,
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("drift")] DriftResponse? Drift,
    [property: JsonPropertyName("impact")] RunImpact? Impact)
{
    public static OrgRunResponse From(string organization, OrgRunEntry entry, DriftResponse? drift) =>
        new(entry.Project, entry.Service, entry.RunId, entry.ReceivedAt, entry.GeneratedAt, entry.CommitSha,
            $"/v1/runs/{organization}/{entry.Project}/{entry.Service}/{entry.RunId}", drift, entry.Impact);
}

/// <summary>One service of the organization and its latest run (whose drift lists counts only; the run's listing has its changes).</summary>
public sealed record ServiceResponse(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("latest")] OrgRunResponse Latest);

/// <summary>The 200 body of GET /v1/orgs/{organization}/services: one page, by project then service.</summary>
public sealed record ServiceListResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("services")] IReadOnlyList<ServiceResponse> Services,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>The 200 body of GET /v1/orgs/{organization}/drift: one page of drifted runs, newest first, each with its changes at or above min_severity.</summary>
public sealed record DriftFeedResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("min_severity")] string MinSeverity,
    [property: JsonPropertyName("impact"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Impact,
    [property: JsonPropertyName("runs")] IReadOnlyList<OrgRunResponse> Runs,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);
