using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Apis;

/// <summary>One run in a listing: its manifest entry (its drift summary and impact included, null without a diff; its gate), and where to fetch its envelope.</summary>
public sealed record RunSummary(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt,
    [property: JsonPropertyName("commit_sha")] string? CommitSha,
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("drift")] DriftResponse? Drift,
    [property: JsonPropertyName("impact")] RunImpact? Impact,
    [property: JsonPropertyName("gate")] GateResponse Gate)
{
    public static RunSummary From(ManifestEntry entry, string href) =>
        new(entry.RunId, entry.Key, entry.Sha256, entry.Size, entry.ReceivedAt, entry.GeneratedAt, entry.CommitSha, href,
            DriftResponse.FromNullable(entry.Drift), entry.Impact, GateResponse.From(entry.Gate));
}

/// <summary>The 200 body of GET /v1/runs/{organization}/{project}/{service}: one page, newest first; from and to are null for a commit over all history.</summary>
public sealed record RunListResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("runs")] IReadOnlyList<RunSummary> Runs,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>The 200 body of GET /v1/runs/{organization}/{project}/{service}/{run_id}/assessment: the run's whole impact (null without a diff) and its gate.</summary>
public sealed record RunAssessmentResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("impact")] RunImpact? Impact,
    [property: JsonPropertyName("gate")] GateResponse Gate)
{
    public static RunAssessmentResponse From(RunIdentity run, RunIndexEntry index, string href) =>
        new(run.Service.Organization, run.Service.Project, run.Service.Service, run.RunId, href, index.Impact, GateResponse.From(index.Gate));
}
