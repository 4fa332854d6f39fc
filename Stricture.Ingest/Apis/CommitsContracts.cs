using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Discovery;

namespace Stricture.Ingest.Apis;

/// <summary>A run of a commit: where it belongs, its full commit SHA, what a run listing shows of it, and where to fetch it.</summary>
public sealed record CommitRunResponse(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("commit_sha")] string CommitSha,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt,
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("drift")] DriftResponse? Drift,
    [property: JsonPropertyName("impact")] RunImpact? Impact,
    [property: JsonPropertyName("gate")] GateResponse Gate)
{
    public static CommitRunResponse From(string organization, OrgRunEntry entry) =>
        new(entry.Project, entry.Service, entry.RunId, entry.CommitSha!, entry.Key, entry.Sha256, entry.Size, entry.ReceivedAt, entry.GeneratedAt,
            $"/v1/runs/{organization}/{entry.Project}/{entry.Service}/{entry.RunId}", DriftResponse.FromNullable(entry.Drift), entry.Impact,
            GateResponse.From(entry.Gate));
}

/// <summary>The 200 body of GET /v1/commits/{sha}: one page of the runs of every commit the SHA abbreviates, newest first.</summary>
public sealed record CommitRunsResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("runs")] IReadOnlyList<CommitRunResponse> Runs,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);
