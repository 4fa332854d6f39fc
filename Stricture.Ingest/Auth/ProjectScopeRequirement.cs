using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>
/// The caller may touch an organization's project (the resource, a <see cref="Scope"/>): one of its
/// grants covers it (<c>*</c> for the unscoped tokens, <c>org/*</c> or <c>org/project</c>), or the
/// server runs without authentication and the request carries none.
/// </summary>
public sealed class ProjectScopeRequirement : IAuthorizationRequirement
{
    public static readonly ProjectScopeRequirement Instance = new();

    private ProjectScopeRequirement()
    {
    }
}

/// <summary>Decides <see cref="ProjectScopeRequirement"/> from the grants the bearer scheme put on the principal.</summary>
internal sealed class ProjectScopeHandler(IOptions<AuthOptions> options) : AuthorizationHandler<ProjectScopeRequirement, Scope>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ProjectScopeRequirement requirement, Scope resource)
    {
        if (ProjectAuthorization.IsUnauthenticatedByDesign(context.User, options.Value) ||
            StrictureIdentity.ScopesOf(context.User).Any(grant => grant.Covers(resource)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
