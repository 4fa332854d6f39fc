using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>
/// The issuer's keys are fetched over HTTP, cached, fetched again when a token names a key the
/// cache lacks (rotation), never more often than the refresh interval, and kept when the issuer
/// cannot be reached; a discovery document naming another issuer is not used. IdentityModel's
/// configuration manager keeps that interval on the system clock, so a test that needs it to pass
/// waits for it (one second, the shortest the setting allows), and the others use the default of
/// 60 seconds, which no test outlasts.
/// </summary>
public sealed class JwtKeyRotationTests
{
    [Fact]
    public async Task After_a_key_rotation_the_first_token_signed_with_the_new_key_is_accepted()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(GitHubSettings(issuer));

        // 1. The first token makes the server fetch the discovery document and the key set.
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(1, issuer.KeySetRequests);

        // 2. Later tokens use the cache.
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(1, issuer.KeySetRequests);

        // 3. The issuer rotates: a new key, published next to the old one, signs from now on.
        var old = issuer.SigningKey;
        issuer.Publish(TestSigningKey.Rsa(), old);

        // 4. The first token with the new kid is accepted: the server fetched the new set for it.
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(2, issuer.KeySetRequests);

        // 5. Tokens signed with the old key, still published, keep working without another fetch.
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims(), key: old))).StatusCode);
        Assert.Equal(2, issuer.KeySetRequests);
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_make_at_most_one_fetch_per_refresh_interval()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(GitHubSettings(issuer));
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);

        // Ten tokens, each naming a key the issuer never published, as a forger would send them:
        // the first makes one fetch, the other nine none.
        var forger = TestSigningKey.Rsa();
        for (var i = 0; i < 10; i++)
        {
            var forged = issuer.Mint(Audience, GitHubClaims(), key: forger.WithKeyId("forged-" + i));
            await AssertUnauthorizedAsync(await server.PostWithBearerAsync(forged), "unknown-signing-key");
        }
        Assert.Equal(2, issuer.KeySetRequests);

        // A key published within the interval is not fetched for either (the next test shows it is once the interval has passed).
        issuer.Publish(TestSigningKey.Rsa());
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims())), "unknown-signing-key");
        Assert.Equal(2, issuer.KeySetRequests);
    }

    [Fact]
    public async Task With_the_refresh_interval_set_to_one_second_a_key_published_after_it_is_picked_up()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var settings = GitHubSettings(issuer);
        settings["STRICTURE_SERVER_JWT_KEY_REFRESH_SECONDS"] = "1";
        await using var server = IngestServer.Start(settings);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        issuer.Publish(TestSigningKey.Rsa());
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(2, issuer.KeySetRequests);

        // Another rotation, once the interval has passed since that fetch (a lower bound: a slow machine only waits longer).
        issuer.Publish(TestSigningKey.Rsa());
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(3, issuer.KeySetRequests);
    }

    [Fact]
    public async Task Cached_keys_keep_working_while_the_issuer_is_unreachable()
    {
        var issuer = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(GitHubSettings(issuer));
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims()))).StatusCode);
        var token = issuer.Mint(Audience, GitHubClaims());
        var rotated = issuer.Mint(Audience, GitHubClaims(), key: TestSigningKey.Rsa().WithKeyId("rotated"));
        await issuer.DisposeAsync();

        // A token naming a key the cache lacks makes the server fetch again; the fetch fails, and
        // the answer is that the key is unknown, not that no keys are available.
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(rotated), "unknown-signing-key");

        // The keys it had stay in use.
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token)).StatusCode);
    }

    [Fact]
    public async Task An_issuer_whose_keys_were_never_fetched_makes_a_503_to_retry_not_a_401()
    {
        var issuer = await TestOidcIssuer.StartAsync();
        var token = issuer.Mint(Audience, GitHubClaims());
        var settings = GitHubSettings(issuer);
        await issuer.DisposeAsync();
        await using var server = IngestServer.Start(settings);

        var response = await server.PostWithBearerAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        await Problem.AssertAsync(response, "signing-keys-unavailable");
    }

    [Fact]
    public async Task Keys_are_not_taken_from_a_discovery_document_that_names_another_issuer()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        // Configured (and claimed by the token) with a trailing slash; the discovery document names the issuer without it.
        var claimed = issuer.Issuer + "/";
        var settings = GitHubSettings(issuer);
        settings[IssuerSetting("github", "ISSUER")] = claimed;
        await using var server = IngestServer.Start(settings);

        var response = await server.PostWithBearerAsync(issuer.Mint(Audience, GitHubClaims(), issuer: claimed));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await Problem.AssertAsync(response, "signing-keys-unavailable");
    }
}
