using Microsoft.AspNetCore.Authorization;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Auth;

/// <summary>
/// Which projects of an organization a caller may see in the organization-wide answers (services,
/// drift feed), decided by the same grants and authorization service as every other read: a grant
/// of <c>org/*</c> (or <c>*</c>, or auth mode none) sees every project; grants of single projects
/// see only those, and the others are left out of the answer as if they did not exist; no grant in
/// the organization is a 403 <c>missing-scope</c> for <c>org/*</c>. Asking for one project needs a
/// grant covering it, exactly as reading its runs does.
/// </summary>
public sealed class OrganizationReadScope(IAuthorizationService authorization, ProjectAuthorization projects)
{
    public async Task<(Func<string, bool>? Visible, RequestProblem? Refused)> ResolveAsync(HttpContext context, string organization, string? project)
    {
        if (project is not null)
        {
            return await projects.CheckAsync(context, organization, project) is { } refused ? (null, refused) : (candidate => candidate == project, null);
        }
        var wholeOrganization = new Scope(organization, Scope.Wildcard);
        if ((await authorization.AuthorizeAsync(context.User, wholeOrganization, ProjectScopeRequirement.Instance)).Succeeded)
        {
            // Asked again through ProjectAuthorization so the decision is audited like any other.
            return await projects.CheckAsync(context, organization, Scope.Wildcard) is { } refused ? (null, refused) : (_ => true, null);
        }
        var granted = StrictureIdentity.ScopesOf(context.User)
            .Where(grant => grant.Organization == organization && grant.Project != Scope.Wildcard)
            .Select(grant => grant.Project)
            .ToHashSet(StringComparer.Ordinal);
        if (granted.Count > 0)
        {
            return (granted.Contains, null);
        }
        return (null, await projects.CheckAsync(context, organization, Scope.Wildcard));
    }
}
