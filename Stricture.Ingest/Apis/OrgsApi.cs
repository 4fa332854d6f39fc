using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Discovery;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;

namespace Stricture.Ingest.Apis;

/// <summary>
/// The organization-wide read API: which services exist (each with its latest run and drift) and
/// the drift feed (drifted runs, newest first). Both are answered from the organization-level derived
/// objects (<see cref="OrgCatalog"/>), never by reading payloads or listing services. A caller sees
/// only the projects its grants cover (<see cref="OrganizationReadScope"/>). A storage failure becomes
/// its problem in <see cref="StorageFailureHandler"/>.
/// </summary>
public static class OrgsApi
{
    public static RouteGroupBuilder MapOrgsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/orgs/{organization}")
            .RequireAuthorization(AuthorizationPolicies.ReadRuns)
            .WithTags("Organizations");

        group.MapGet("/services", ListServicesAsync)
            .WithName("ListServices")
            .WithSummary("The organization's services, each with its latest run and drift")
            .WithDescription($"Every project and service of the organization the credential may read (project= keeps one project), by project then " +
                             $"service, each with its latest run (id, times, commit) and that run's drift counts (null without a diff). " +
                             $"limit is 1 to {ServicesQuery.MaxLimit} (default {ServicesQuery.DefaultLimit}); pass next_cursor as cursor for the next page.")
            .ProducesReadProblems();

        group.MapGet("/drift", ListDriftAsync)
            .WithName("ListDrift")
            .WithSummary("The organization's drifted runs, newest first")
            .WithDescription($"Runs with at least one change at or above min_severity (high, medium or low; default low) whose date partition is " +
                             $"from to to (YYYY-MM-DD, inclusive; by default the last {DriftQuery.DefaultDays} days, at most {DriftQuery.MaxDays}), " +
                             $"optionally of one project, each with its drift counts and its first changes at or above min_severity " +
                             $"(at most 20) and its impact; impact=downstream (or self_only, unknown) keeps the runs whose widest change has that scope. " +
                             $"limit is 1 to {DriftQuery.MaxLimit} (default {DriftQuery.DefaultLimit}); pass next_cursor as cursor.")
            .ProducesReadProblems();

        group.MapGet("/policy", GetPolicyAsync)
            .WithName("GetPolicy")
            .WithSummary("The organization's effective gate policy")
            .WithDescription("The policy the gate applies to the organization's runs now: from STRICTURE_SERVER_POLICY_DIR/<organization>.yaml " +
                             "(source names the file), or the defaults (source: defaults). See docs/policy.md.")
            .ProducesReadProblems();

        return group;
    }

    private static RouteHandlerBuilder ProducesReadProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>What both handlers need, resolved from DI as one parameter.</summary>
    internal sealed record OrgServices(
        [FromServices] OrganizationReadScope Scope, [FromServices] OrgQueries Queries, [FromServices] TimeProvider Time);

    internal static async Task<Results<Ok<ServiceListResponse>, ProblemHttpResult>> ListServicesAsync(
        string organization, HttpContext context, [AsParameters] OrgServices services, CancellationToken cancellationToken)
    {
        if (CheckOrganization(organization) is { } invalid)
        {
            return invalid.ToResult();
        }
        var (query, problem) = OrgQueryParser.ParseServices(context.Request.Query);
        if (query is null)
        {
            return problem!.ToResult();
        }
        var (visible, refused) = await services.Scope.ResolveAsync(context, organization, query.Project);
        if (visible is null)
        {
            return refused!.ToResult();
        }
        var page = await services.Queries.ListServicesAsync(organization, query, visible, cancellationToken);
        return TypedResults.Ok(new ServiceListResponse(
            organization,
            page.Services.Select(entry => new ServiceResponse(entry.Project, entry.Service,
                OrgRunResponse.From(organization, entry, entry.Drift is { } drift ? DriftResponse.From(drift, withChanges: false) : null))).ToList(),
            page.Next?.Encode()));
    }

    internal static async Task<Results<Ok<DriftFeedResponse>, ProblemHttpResult>> ListDriftAsync(
        string organization, HttpContext context, [AsParameters] OrgServices services, CancellationToken cancellationToken)
    {
        if (CheckOrganization(organization) is { } invalid)
        {
            return invalid.ToResult();
        }
        var (query, problem) = OrgQueryParser.ParseDrift(context.Request.Query, DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime));
        if (query is null)
        {
            return problem!.ToResult();
        }
        var (visible, refused) = await services.Scope.ResolveAsync(context, organization, query.Project);
        if (visible is null)
        {
            return refused!.ToResult();
        }
        var page = await services.Queries.ListDriftAsync(organization, query, visible, cancellationToken);
        return TypedResults.Ok(new DriftFeedResponse(
            organization, RecordKeys.FormatDate(query.From), RecordKeys.FormatDate(query.To), query.MinSeverity, query.Impact,
            page.Runs.Select(entry => OrgRunResponse.From(organization, entry, DriftResponse.From(entry.Drift!, atOrAbove: query.MinSeverity))).ToList(),
            page.Next?.Encode()));
    }

    internal static async Task<Results<Ok<PolicyResponse>, ProblemHttpResult>> GetPolicyAsync(
        string organization, HttpContext context, [FromServices] OrganizationReadScope scope, [FromServices] IGatePolicySource policies)
    {
        if (CheckOrganization(organization) is { } invalid)
        {
            return invalid.ToResult();
        }
        // The same grants as the organization's other answers: a credential that may read none of its projects is refused.
        var (visible, refused) = await scope.ResolveAsync(context, organization, null);
        if (visible is null)
        {
            return refused!.ToResult();
        }
        var policy = policies.For(organization);
        // The server's own paths stay on the server: a caller learns which file, not where it lives.
        return TypedResults.Ok(new PolicyResponse(organization, policy with { Source = policy.Source == GatePolicy.DefaultsSource ? policy.Source : Path.GetFileName(policy.Source) }));
    }

    private static RequestProblem? CheckOrganization(string organization)
    {
        Activity.Current?.SetTag("stricture.organization", organization);
        return IdentifierGrammar.Explain("organization", organization) is { } why
            ? RequestProblem.BadRequest("invalid-identifier", why, "organization")
            : null;
    }
}
