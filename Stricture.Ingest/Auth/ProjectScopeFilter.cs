namespace Stricture.Ingest.Auth;

/// <summary>
/// <see cref="ScopeAuthorization"/> for endpoints whose route names the project, such as
/// <c>GET /v1/runs/{organization}/{project}/{service}/latest</c>: checks the route's
/// <c>organization</c> and <c>project</c> before the handler runs, and answers the 403 itself.
/// </summary>
public static class ProjectScopeFilter
{
    public const string OrganizationRouteValue = "organization";
    public const string ProjectRouteValue = "project";

    public static TBuilder RequireProjectScope<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(InvokeAsync);

    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var route = invocation.HttpContext.Request.RouteValues;
        if (route[OrganizationRouteValue] is not string organization || route[ProjectRouteValue] is not string project)
        {
            throw new InvalidOperationException(
                $"RequireProjectScope is on an endpoint whose route has no {{{OrganizationRouteValue}}} and {{{ProjectRouteValue}}}.");
        }
        return ScopeAuthorization.Check(invocation.HttpContext, organization, project) is { } denied
            ? denied.ToResult()
            : await next(invocation);
    }
}
