using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Cli;

/// <summary>
/// Stands in for the GitHub Actions runner's ID token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) on
/// loopback: it answers <c>{"value": "&lt;jwt&gt;"}</c> to a request bearing the runner's request token,
/// with a token minted by <see cref="TestOidcIssuer"/> for the audience asked, as GitHub does.
/// </summary>
public sealed class GitHubTokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GitHubTokenEndpoint(WebApplication app, string requestUrl)
    {
        _app = app;
        RequestUrl = requestUrl;
    }

    /// <summary>What the runner puts in ACTIONS_ID_TOKEN_REQUEST_URL: it already carries a query string.</summary>
    public string RequestUrl { get; }

    public const string RequestToken = "runner-request-token";

    /// <summary>The audience of every token request, in order.</summary>
    public ConcurrentQueue<string> AudiencesRequested { get; } = new();

    public static async Task<GitHubTokenEndpoint> StartAsync(TestOidcIssuer issuer, Dictionary<string, object> claims)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        GitHubTokenEndpoint? endpoint = null;
        app.MapGet("/_apis/token", (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + RequestToken)
            {
                return Results.Unauthorized();
            }
            var audience = context.Request.Query["audience"].ToString();
            endpoint!.AudiencesRequested.Enqueue(audience);
            return Results.Text(new JsonObject { ["count"] = 1, ["value"] = issuer.Mint(audience, claims) }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        endpoint = new GitHubTokenEndpoint(app, app.Urls.Single().TrimEnd('/') + "/_apis/token?api-version=2.0");
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
