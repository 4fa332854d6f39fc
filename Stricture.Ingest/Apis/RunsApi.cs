using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Commits;
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
            .ProducesReadProblems();

        group.MapGet("/", ListAsync)
            .WithName("ListRuns")
            .WithSummary("The service's runs in a date range, newest first")
            .WithDescription($"from and to (YYYY-MM-DD, inclusive) select days of the date partition (the UTC date of generated_at, else received_at); " +
                             $"by default the last {RunQuery.DefaultDays} days, at most {RunQuery.MaxDays}. commit keeps runs whose commit_sha starts with it; " +
                             "commit without from and to searches all of the service's history (from and to are then null in the answer). " +
                             $"limit is 1 to {RunQuery.MaxLimit} (default {RunQuery.DefaultLimit}); pass next_cursor as cursor for the next page.")
            .ProducesReadProblems();

        group.MapGet("/{run_id}/assessment", GetAssessmentAsync)
            .WithName("GetRunAssessment")
            .WithSummary("A run's whole impact and gate")
            .WithDescription("The blast radius and gate decision recorded when the run was accepted, as its 202 answered them: " +
                             "the impacted services with their consuming fields (owner, escalation) and the first changes, which " +
                             "run listings leave out. impact is null for a run without a diff, whose gate is a pass.")
            .ProducesReadProblems();

        group.MapGet("/{run_id}", GetRunAsync)
            .WithName("GetRun")
            .WithSummary("One run by id")
            .WithDescription("The run's envelope exactly as stored. ETag is its SHA-256; If-None-Match with it answers 304. " +
                             "Accept-Encoding: gzip is honoured. The Stricture-Drift header carries the run's drift counts when it has a diff.")
            .ProducesReadProblems();

        return group;
    }

    /// <summary>Problems the handlers' unions do not show: they come from authentication and StorageFailureHandler.</summary>
    private static RouteHandlerBuilder ProducesReadProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<Results<StoredEnvelopeResult, Problem<Status400BadRequest>, Problem<Status403Forbidden>, Problem<Status404NotFound>>> GetLatestAsync(
        string organization, string project, string service, HttpContext context, [FromServices] ProjectAuthorization projects,
        [FromServices] RunQueries queries, CancellationToken cancellationToken)
    {
        if (!TryServiceOf(organization, project, service, out var identity, out var invalid))
        {
            return invalid;
        }
        if (await projects.CheckAsync(context, organization, project) is { } forbidden)
        {
            return forbidden.As<Status403Forbidden>();
        }
        return await queries.GetLatestAsync(identity, cancellationToken) is var (latest, envelope)
            ? new StoredEnvelopeResult(envelope, RevalidateCaching, RunHref(identity, latest.RunId), latest.Drift,
                latest.Gate is null ? null : new RunAssessment(latest.Impact, latest.Gate))
            : ServiceNotFound(identity);
    }

    internal static async Task<Results<StoredEnvelopeResult, Problem<Status400BadRequest>, Problem<Status403Forbidden>, Problem<Status404NotFound>>> GetRunAsync(
        string organization, string project, string service, [FromRoute(Name = "run_id")] string runId,
        HttpContext context, [FromServices] ProjectAuthorization projects, [FromServices] RunQueries queries,
        CancellationToken cancellationToken)
    {
        var (run, invalid, forbidden) = await RunOfAsync(organization, project, service, runId, context, projects);
        if (run is null)
        {
            return invalid is not null ? invalid : forbidden!;
        }
        if (await queries.GetRunAsync(run, cancellationToken) is not { } stored)
        {
            return RunNotFound(run);
        }
        var drift = EnvelopeReader.ToManifestEntry(stored.Record).Drift;
        return new StoredEnvelopeResult(stored.Record, ImmutableCaching, drift: drift, assessment: drift is null ? null : stored.Index.Assessment);
    }

    internal static async Task<Results<Ok<RunAssessmentResponse>, Problem<Status400BadRequest>, Problem<Status403Forbidden>, Problem<Status404NotFound>>> GetAssessmentAsync(
        string organization, string project, string service, [FromRoute(Name = "run_id")] string runId,
        HttpContext context, [FromServices] ProjectAuthorization projects, [FromServices] RunQueries queries,
        CancellationToken cancellationToken)
    {
        var (run, invalid, forbidden) = await RunOfAsync(organization, project, service, runId, context, projects);
        if (run is null)
        {
            return invalid is not null ? invalid : forbidden!;
        }
        return await queries.GetRunAsync(run, cancellationToken) is { } stored
            ? TypedResults.Ok(RunAssessmentResponse.From(run, stored.Index, RunHref(run.Service, run.RunId)))
            : RunNotFound(run);
    }

    internal static async Task<Results<Ok<RunListResponse>, Problem<Status400BadRequest>, Problem<Status403Forbidden>, Problem<Status404NotFound>>> ListAsync(
        string organization, string project, string service, HttpContext context, [FromServices] ProjectAuthorization projects,
        [FromServices] RunQueries queries, [FromServices] CommitQueries commits, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryServiceOf(organization, project, service, out var identity, out var invalid))
        {
            return invalid;
        }
        if (await projects.CheckAsync(context, organization, project) is { } forbidden)
        {
            return forbidden.As<Status403Forbidden>();
        }
        if (!RunQueryParser.TryParse(context.Request.Query, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), out var query, out var problem))
        {
            return problem.As<Status400BadRequest>();
        }
        if (!await queries.ServiceExistsAsync(identity, cancellationToken))
        {
            return ServiceNotFound(identity);
        }
        var page = query.AllHistory
            ? await commits.ListServiceAsync(identity, query, cancellationToken)
            : await queries.ListAsync(identity, query, cancellationToken);
        return TypedResults.Ok(new RunListResponse(
            identity.Organization, identity.Project, identity.Service,
            query.AllHistory ? null : RecordKeys.FormatDate(query.From), query.AllHistory ? null : RecordKeys.FormatDate(query.To),
            page.Runs.Select(entry => RunSummary.From(entry, RunHref(identity, entry.RunId))).ToList(),
            page.Next?.Encode()));
    }

    /// <summary>The route's names as a service identity, or the 400 naming the first invalid one.</summary>
    private static bool TryServiceOf(
        string organization, string project, string service,
        [NotNullWhen(true)] out ServiceIdentity? identity, [NotNullWhen(false)] out Problem<Status400BadRequest>? invalid)
    {
        Activity.Current?.SetTag("stricture.organization", organization)
            .SetTag("stricture.project", project)
            .SetTag("stricture.service", service);
        var valid = ServiceIdentity.TryCreate(organization, project, service, out identity, out var error);
        invalid = valid ? null : IdentifierProblem.From(error!).As<Status400BadRequest>();
        return valid;
    }

    /// <summary>
    /// The run a read names, once its identifiers are valid and the caller may read its project;
    /// otherwise the problem to answer: invalid identifiers (400) or a project out of scope (403).
    /// </summary>
    private static async Task<(RunIdentity? Run, Problem<Status400BadRequest>? Invalid, Problem<Status403Forbidden>? Forbidden)> RunOfAsync(
        string organization, string project, string service, string runId, HttpContext context, ProjectAuthorization projects)
    {
        if (!TryServiceOf(organization, project, service, out var identity, out var invalid))
        {
            return (null, invalid, null);
        }
        if (await projects.CheckAsync(context, organization, project) is { } forbidden)
        {
            return (null, null, forbidden.As<Status403Forbidden>());
        }
        if (!identity.TryWithRun(runId, out var run, out var invalidRun))
        {
            return (null, IdentifierProblem.From(invalidRun).As<Status400BadRequest>(), null);
        }
        Activity.Current?.SetTag("stricture.run_id", runId);
        return (run, null, null);
    }

    private static Problem<Status404NotFound> RunNotFound(RunIdentity run) =>
        new RequestProblem(StatusCodes.Status404NotFound, "run-not-found", "No such run.",
            $"No run '{run.RunId}' is stored for {Describe(run.Service)}.").As<Status404NotFound>();

    private static Problem<Status404NotFound> ServiceNotFound(ServiceIdentity service) =>
        new RequestProblem(StatusCodes.Status404NotFound, "service-not-found", "No such service.",
            $"No runs are stored for {Describe(service)}. Check the organization, project and service names.").As<Status404NotFound>();

    private static string Describe(ServiceIdentity service) =>
        $"organization '{service.Organization}', project '{service.Project}', service '{service.Service}'";

    private static string RunHref(ServiceIdentity service, string runId) =>
        $"/v1/runs/{service.Organization}/{service.Project}/{service.Service}/{runId}";
}
