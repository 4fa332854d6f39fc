using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;

namespace Stricture.Tests.Auth;

/// <summary>
/// The scope decision as a read endpoint will use it: on a request whose principal the bearer
/// scheme has already set, and through the route filter. (The ingest path is covered end to end
/// by the API tests.)
/// </summary>
public sealed class ScopeAuthorizationTests
{
    [Fact]
    public void A_principal_may_touch_what_its_grants_cover()
    {
        var context = Request(AuthMode.Jwt, "acme/checkout", "globex/*");

        Assert.Null(ScopeAuthorization.Check(context, "acme", "checkout"));
        Assert.Null(ScopeAuthorization.Check(context, "globex", "payments"));
    }

    [Fact]
    public void Anything_else_is_a_403_naming_the_missing_scope_with_an_insufficient_scope_challenge()
    {
        var context = Request(AuthMode.Jwt, "acme/checkout");

        var problem = ScopeAuthorization.Check(context, "acme", "billing");

        Assert.NotNull(problem);
        Assert.Equal(403, problem.Status);
        Assert.Equal("missing-scope", problem.Code);
        Assert.Equal("acme/billing", problem.Extensions["scope"]);
        Assert.Contains("error=\"insufficient_scope\"", context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public void An_unauthenticated_request_is_denied_unless_the_server_runs_without_authentication()
    {
        Assert.NotNull(ScopeAuthorization.Check(Request(AuthMode.Token), "acme", "checkout"));
        Assert.Null(ScopeAuthorization.Check(Request(AuthMode.None), "acme", "checkout"));
    }

    [Fact]
    public async Task The_route_filter_checks_the_routes_organization_and_project_before_the_handler()
    {
        var handled = false;
        EndpointFilterDelegate handler = _ =>
        {
            handled = true;
            return ValueTask.FromResult<object?>("handled");
        };
        var allowed = Request(AuthMode.Jwt, "acme/*");
        allowed.Request.RouteValues["organization"] = "acme";
        allowed.Request.RouteValues["project"] = "checkout";
        Assert.Equal("handled", await ProjectScopeFilter.InvokeAsync(new DefaultEndpointFilterInvocationContext(allowed), handler));

        handled = false;
        var denied = Request(AuthMode.Jwt, "acme/*");
        denied.Request.RouteValues["organization"] = "globex";
        denied.Request.RouteValues["project"] = "checkout";
        var result = await ProjectScopeFilter.InvokeAsync(new DefaultEndpointFilterInvocationContext(denied), handler);
        Assert.False(handled, "a denied request must not reach the handler");
        Assert.Equal(403, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    private static DefaultHttpContext Request(AuthMode mode, params string[] grants)
    {
        var services = new ServiceCollection().AddSingleton(Options.Create(new AuthOptions { ModeName = AuthOptions.ModeNames.First(name => name.Value == mode).Key })).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        if (grants.Length > 0)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, "https://issuer.example#ci"), .. grants.Select(g => new Claim(StrictureIdentity.ScopeClaim, g))], "jwt"));
        }
        return context;
    }
}
