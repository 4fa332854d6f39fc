using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;

namespace Stricture.Tests.Auth;

/// <summary>
/// The scope decision as the endpoints ask it, through ASP.NET Core's authorization service, on a
/// request whose principal the bearer scheme has already set. (The endpoints themselves are covered
/// end to end by the API tests.)
/// </summary>
public sealed class ProjectAuthorizationTests
{
    [Fact]
    public async Task A_principal_may_touch_what_its_grants_cover()
    {
        var (projects, context) = Request(AuthMode.Jwt, "acme/checkout", "globex/*");

        Assert.Null(await projects.CheckAsync(context, "acme", "checkout"));
        Assert.Null(await projects.CheckAsync(context, "globex", "payments"));
    }

    [Fact]
    public async Task Anything_else_is_a_403_naming_the_missing_scope_with_an_insufficient_scope_challenge()
    {
        var (projects, context) = Request(AuthMode.Jwt, "acme/checkout");

        var problem = await projects.CheckAsync(context, "acme", "billing");

        Assert.NotNull(problem);
        Assert.Equal(403, problem.Status);
        Assert.Equal("missing-scope", problem.Code);
        Assert.Equal("acme/billing", problem.Extensions["scope"]);
        Assert.Contains("error=\"insufficient_scope\"", context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unauthenticated_request_is_denied_unless_the_server_runs_without_authentication()
    {
        var (withTokens, unauthenticated) = Request(AuthMode.Token);
        Assert.NotNull(await withTokens.CheckAsync(unauthenticated, "acme", "checkout"));

        var (withoutAuthentication, anonymous) = Request(AuthMode.None);
        Assert.Null(await withoutAuthentication.CheckAsync(anonymous, "acme", "checkout"));
    }

    private static (ProjectAuthorization Projects, DefaultHttpContext Context) Request(AuthMode mode, params string[] grants)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddAuthorization()
            .AddSingleton<IAuthorizationHandler, ProjectScopeHandler>()
            .AddSingleton(Options.Create(new AuthOptions { ModeName = AuthOptions.ModeNames.First(name => name.Value == mode).Key }))
            .AddSingleton<ProjectAuthorization>()
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        if (grants.Length > 0)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, "https://issuer.example#ci"), .. grants.Select(g => new Claim(StrictureIdentity.ScopeClaim, g))], "jwt"));
        }
        return (services.GetRequiredService<ProjectAuthorization>(), context);
    }
}
