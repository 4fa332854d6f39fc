using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Requests;
using Stricture.Storage.Commits;

namespace Stricture.Ingest.Apis;

/// <summary>
/// "What did commit X produce?": every run of a commit (or of every commit an abbreviation names)
/// across an organization's services, over all history, newest first. Answered from the commit
/// index (<see cref="CommitIndex"/>), one shard read, never by reading payloads or listing services.
/// A caller sees only the projects its grants cover (<see cref="OrganizationReadScope"/>), as in
/// the other organization-wide answers.
/// </summary>
public static class CommitsApi
{
    public static RouteGroupBuilder MapCommitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/commits")
            .RequireAuthorization(AuthorizationPolicies.ReadRuns)
            .WithTags("Commits");

        group.MapGet("/{sha}", ListAsync)
            .WithName("ListCommitRuns")
            .WithSummary("Every run of a commit across the organization, newest first")
            .WithDescription($"sha is a commit SHA or an abbreviation of it ({CommitIndex.MinPrefixLength} to 64 hexadecimal characters, any case): " +
                             "the runs of every commit it abbreviates, each with its full commit_sha, over all history. organization is required; " +
                             $"project= keeps one project. limit is 1 to {CommitQuery.MaxLimit} (default {CommitQuery.DefaultLimit}); pass next_cursor as cursor.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    internal static async Task<Results<Ok<CommitRunsResponse>, ProblemHttpResult>> ListAsync(
        string sha, HttpContext context, [FromServices] OrganizationReadScope scope, [FromServices] CommitQueries queries,
        CancellationToken cancellationToken)
    {
        var (organization, query, problem) = CommitQueryParser.Parse(sha, context.Request.Query);
        if (query is null)
        {
            return problem!.ToResult();
        }
        Activity.Current?.SetTag("stricture.organization", organization).SetTag("stricture.commit", query.Prefix);
        var (visible, refused) = await scope.ResolveAsync(context, organization!, query.Project);
        if (visible is null)
        {
            return refused!.ToResult();
        }
        var page = await queries.ListAsync(organization!, query, visible, cancellationToken);
        return TypedResults.Ok(new CommitRunsResponse(
            organization!, query.Prefix, page.Runs.Select(entry => CommitRunResponse.From(organization!, entry)).ToList(), page.Next?.Encode()));
    }
}
