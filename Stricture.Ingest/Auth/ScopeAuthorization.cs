using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Auth;

/// <summary>
/// The one place that decides whether a request may touch an organization's project. Every
/// endpoint that writes or reads records calls <see cref="Check"/> once it knows the organization
/// and project (ingest: after the body is parsed; reads: from the route), before it touches storage.
///
/// A request may touch <c>org/project</c> when one of its grants covers it: <c>*</c> (the unscoped
/// primary and secondary tokens), <c>org/*</c> or <c>org/project</c>. In mode none nothing is
/// required. The decision is recorded on the request's audit event, when it has one.
/// </summary>
public static class ScopeAuthorization
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string NotRequired = "not-required";

    /// <summary>
    /// Null when the request may touch <paramref name="organization"/>/<paramref name="project"/>;
    /// otherwise a 403 problem (code <c>missing-scope</c>) naming the scope it lacks, to return as is.
    /// A denial also sets <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> (RFC 6750).
    /// </summary>
    public static RequestProblem? Check(HttpContext context, string organization, string project)
    {
        var required = new Scope(organization, project);
        var audit = context.Features.Get<IngestAuditFeature>();
        if (context.User.Identity is not { IsAuthenticated: true } &&
            context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Mode == AuthMode.None)
        {
            audit?.DecideScope(required.ToString(), NotRequired);
            return null;
        }
        var grants = StrictureIdentity.ScopesOf(context.User);
        if (grants.Any(grant => grant.Covers(required)))
        {
            audit?.DecideScope(required.ToString(), Allowed);
            return null;
        }
        audit?.DecideScope(required.ToString(), Denied);
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"stricture\", error=\"insufficient_scope\", scope=\"{required}\"";
        return RequestProblem.MissingScope(required.ToString(), IngestPrincipal.NameOf(context), grants.Select(g => g.ToString()).ToList());
    }
}
