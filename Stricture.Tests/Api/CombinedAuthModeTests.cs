using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>
/// STRICTURE_SERVER_AUTH_MODE=token-or-jwt, for moving pipelines from shared tokens to OIDC one
/// at a time: a shared token (unscoped or scoped) or a JWT, each refused precisely.
/// </summary>
public sealed class CombinedAuthModeTests
{
    private const string SharedToken = "shared-token-0123456789abcdef";

    [Fact]
    public async Task Shared_tokens_scoped_tokens_and_JWTs_are_all_accepted_each_under_its_own_principal()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var scoped = ScopedTestToken.Valid("billing-ci", "acme/billing");
        using var file = new TokenFile(scoped);
        var settings = GitHubSettings(issuer, mode: "token-or-jwt");
        settings["STRICTURE_SERVER_INGEST_TOKEN"] = SharedToken;
        settings["STRICTURE_SERVER_TOKEN_FILE"] = file.Path;
        await using var server = IngestServer.Start(settings);

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(SharedToken, "acme", "checkout")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(scoped.Secret, "acme", "billing")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()), "acme", "checkout")).StatusCode);

        var principals = (await ReadAuditAsync(server, expected: 3)).Select(e => e.GetProperty("principal").GetString()).ToList();
        Assert.Equal(["token:primary", "token:billing-ci", issuer.Issuer + "#repo:Acme/Checkout:ref:refs/heads/main"], principals);
    }

    [Fact]
    public async Task A_wrong_shared_token_and_a_bad_JWT_are_each_refused_with_their_own_reason()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var settings = GitHubSettings(issuer, mode: "token-or-jwt");
        settings["STRICTURE_SERVER_INGEST_TOKEN"] = SharedToken;
        await using var server = IngestServer.Start(settings);

        await AssertUnauthorizedAsync(await server.PostWithBearerAsync("wrong-token-0123456789abcdef"), "invalid-token");
        var expired = issuer.Mint(Audience, GitHubClaims(), expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-20));
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(expired), "token-expired");
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(issuer.Mint("elsewhere", GitHubClaims())), "wrong-audience");
    }

    [Fact]
    public async Task Jwt_mode_refuses_the_shared_token_even_when_one_is_set()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var settings = GitHubSettings(issuer, mode: "jwt");
        settings["STRICTURE_SERVER_INGEST_TOKEN"] = SharedToken;
        await using var server = IngestServer.Start(settings);

        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(SharedToken), "malformed-token");
    }

    [Fact]
    public async Task Token_mode_refuses_JWTs()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = SharedToken,
        });

        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims())), "invalid-token");
    }
}
