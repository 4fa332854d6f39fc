using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Auth;

/// <summary>
/// Whether a request may touch an organization's project, asked of ASP.NET Core's authorization
/// service (<see cref="ProjectScopeRequirement"/>, decided by <see cref="ProjectScopeHandler"/>). Every
/// endpoint that writes or reads records asks once it knows the organization and project (ingest:
/// after the body is parsed; reads: from the route), before it touches storage. The decision is
/// recorded on the request's audit event, when it has one.
/// </summary>
public sealed class ProjectAuthorization(IAuthorizationService authorization, IOptions<AuthOptions> options)
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string NotRequired = "not-required";

    /// <summary>
    /// Null when the request may touch <paramref name="organization"/>/<paramref name="project"/>;
    /// otherwise a 403 problem (code <c>missing-scope</c>) naming the scope it lacks, to return as is.
    /// A denial also sets <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> (RFC 6750).
    /// </summary>
    public async Task<RequestProblem?> CheckAsync(HttpContext context, string organization, string project)
    {
        var refused = await DecideAsync(context, organization, project, context.Features.Get<IngestAuditFeature>());
        if (refused is not null)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"stricture\", error=\"insufficient_scope\", scope=\"{refused.Extensions["scope"]}\"";
        }
        return refused;
    }

    /// <summary>
    /// The same decision for one item of a batch: recorded on the item's own audit record, and with no
    /// <c>WWW-Authenticate</c> header, since the batch's answer is a 200 that carries the item's 403.
    /// </summary>
    public async Task<RequestProblem?> DecideAsync(HttpContext context, string organization, string project, IngestAuditFeature? audit)
    {
        var required = new Scope(organization, project);
        if ((await authorization.AuthorizeAsync(context.User, required, ProjectScopeRequirement.Instance)).Succeeded)
        {
            audit?.DecideScope(required.ToString(), IsUnauthenticatedByDesign(context.User, options.Value) ? NotRequired : Allowed);
            return null;
        }
        audit?.DecideScope(required.ToString(), Denied);
        var grants = StrictureIdentity.ScopesOf(context.User);
        return RequestProblem.MissingScope(required.ToString(), IngestPrincipal.NameOf(context), grants.Select(g => g.ToString()).ToList());
    }

    /// <summary>Mode none, and the request carries no credential: nothing is required of it.</summary>
    internal static bool IsUnauthenticatedByDesign(ClaimsPrincipal user, AuthOptions options) =>
        user.Identity is not { IsAuthenticated: true } && options.Mode == AuthMode.None;
}
