using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Queries;

namespace Stricture.Ingest.Apis;

/// <summary>
/// The read API, served from the catalog (manifests and latest pointers) on whichever driver is
/// configured: a service's latest run, its runs by date range and commit, and a run by id. Reads
/// are protected by the same authentication as ingest, and by the same scopes: a caller reads only
/// the organizations and projects it may write (403 <c>missing-scope</c> otherwise). A storage
/// failure becomes its problem in <see cref="StorageFailureHandler"/>.
/// </summary>
public static class RunsApi
{
    /// <summary>Stored runs never change, so a client may keep one as long as it likes.</summary>
    private const string ImmutableCaching = "private, max-age=31536000, immutable";

    /// <summary>The latest run changes with every newer post: revalidate (cheap, with the ETag) each time.</summary>
    private const string RevalidateCaching = "private, no-cache";

    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runs/{organization}/{project}/{service}")
            .RequireAuthorization(AuthorizationPolicies.ReadRuns)
            .WithTags("Runs");

        group.MapGet("/latest", GetLatestAsync)
            .WithName("GetLatestRun")
            .WithSummary("The service's latest run")
            .WithDescription("The envelope of the service's newest run, by generated_at (else received_at), ties by run_id. " +
                             "Content-Location names the run; the Stricture-Drift header carries its drift counts when it has a diff. " +
                             "ETag and If-None-Match work as for a run by id.")
            .ProducesEnvelope();

        group.MapGet("/", ListAsync)
            .WithName("ListRuns")
            .WithSummary("The service's runs in a date range, newest first")
            .WithDescription($"from and to (YYYY-MM-DD, inclusive) select days of the date partition (the UTC date of generated_at, else received_at); " +
                             $"by default the last {RunQuery.DefaultDays} days, at most {RunQuery.MaxDays}. commit keeps runs whose commit_sha starts with it. " +
                             $"limit is 1 to {RunQuery.MaxLimit} (default {RunQuery.DefaultLimit}); pass next_cursor as cursor for the next page.")
            .Produces<RunListResponse>()
            .ProducesReadProblems();

        group.MapGet("/{run_id}", GetRunAsync)
            .WithName("GetRun")
            .WithSummary("One run by id")
            .WithDescription("The run's envelope exactly as stored. ETag is its SHA-256; If-None-Match with it answers 304. " +
                             "Accept-Encoding: gzip is honoured. The Stricture-Drift header carries the run's drift counts when it has a diff.")
            .ProducesEnvelope();

        return group;
    }

    private static RouteHandlerBuilder ProducesEnvelope(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesReadProblems();

    private static RouteHandlerBuilder ProducesReadProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> GetLatestAsync(
        string organization, string project, string service, HttpContext context, [FromServices] ProjectAuthorization projects,
        [FromServices] RunQueries queries, CancellationToken cancellationToken)
    {
        if ((ServiceOf(organization, project, service, out var identity) ?? await projects.CheckAsync(context, organization, project)) is { } refused)
        {
            return refused.ToResult();
        }
        return await queries.GetLatestAsync(identity, cancellationToken) is var (runId, envelope, drift)
            ? new StoredEnvelopeResult(envelope, RevalidateCaching, RunHref(identity, runId), drift)
            : ServiceNotFound(identity).ToResult();
    }

    internal static async Task<IResult> GetRunAsync(
        string organization, string project, string service, [FromRoute(Name = "run_id")] string runId,
        HttpContext context, [FromServices] ProjectAuthorization projects, [FromServices] RunQueries queries,
        CancellationToken cancellationToken)
    {
        if ((ServiceOf(organization, project, service, out var identity) ?? await projects.CheckAsync(context, organization, project)) is { } refused)
        {
            return refused.ToResult();
        }
        if (IdentifierGrammar.Explain("run_id", runId) is { } why)
        {
            return RequestProblem.BadRequest("invalid-identifier", why, "run_id").ToResult();
        }
        Activity.Current?.SetTag("stricture.run_id", runId);
        return await queries.GetRunAsync(identity.WithRun(runId), cancellationToken) is { } envelope
            ? new StoredEnvelopeResult(envelope, ImmutableCaching, drift: EnvelopeReader.ToManifestEntry(envelope).Drift)
            : new RequestProblem(StatusCodes.Status404NotFound, "run-not-found", "No such run.",
                $"No run '{runId}' is stored for {Describe(identity)}.").ToResult();
    }

    internal static async Task<IResult> ListAsync(
        string organization, string project, string service, HttpContext context, [FromServices] ProjectAuthorization projects,
        [FromServices] RunQueries queries, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        if ((ServiceOf(organization, project, service, out var identity) ?? await projects.CheckAsync(context, organization, project)) is { } refused)
        {
            return refused.ToResult();
        }
        var (query, problem) = RunQueryParser.Parse(context.Request.Query, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (query is null)
        {
            return problem!.ToResult();
        }
        if (!await queries.ServiceExistsAsync(identity, cancellationToken))
        {
            return ServiceNotFound(identity).ToResult();
        }
        var page = await queries.ListAsync(identity, query, cancellationToken);
        return TypedResults.Ok(new RunListResponse(
            identity.Organization, identity.Project, identity.Service,
            RecordKeys.FormatDate(query.From), RecordKeys.FormatDate(query.To),
            page.Runs.Select(entry => RunSummary.From(entry, RunHref(identity, entry.RunId))).ToList(),
            page.Next?.Encode()));
    }

    /// <summary>Validates the route's names; null when they are valid.</summary>
    private static RequestProblem? ServiceOf(string organization, string project, string service, out ServiceIdentity identity)
    {
        identity = new ServiceIdentity(organization, project, service);
        Activity.Current?.SetTag("stricture.organization", organization)
            .SetTag("stricture.project", project)
            .SetTag("stricture.service", service);
        foreach (var (field, value) in new[] { ("organization", organization), ("project", project), ("service", service) })
        {
            if (IdentifierGrammar.Explain(field, value) is { } why)
            {
                return RequestProblem.BadRequest("invalid-identifier", why, field);
            }
        }
        return null;
    }

    private static RequestProblem ServiceNotFound(ServiceIdentity service) =>
        new(StatusCodes.Status404NotFound, "service-not-found", "No such service.",
            $"No runs are stored for {Describe(service)}. Check the organization, project and service names.");

    private static string Describe(ServiceIdentity service) =>
        $"organization '{service.Organization}', project '{service.Project}', service '{service.Service}'";

    private static string RunHref(ServiceIdentity service, string runId) =>
        $"/v1/runs/{service.Organization}/{service.Project}/{service.Service}/{runId}";
}
