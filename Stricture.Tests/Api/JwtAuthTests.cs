using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>A trusted issuer, an untrusted one, and a server in jwt mode trusting the first as GitHub Actions.</summary>
public sealed class JwtServerFixture : IAsyncLifetime
{
    public TestOidcIssuer Trusted { get; private set; } = null!;
    public TestOidcIssuer Untrusted { get; private set; } = null!;
    public IngestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Trusted = await TestOidcIssuer.StartAsync();
        Untrusted = await TestOidcIssuer.StartAsync();
        Server = IngestServer.Start(GitHubSettings(Trusted));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Trusted.DisposeAsync();
        await Untrusted.DisposeAsync();
    }
}

/// <summary>
/// STRICTURE_SERVER_AUTH_MODE=jwt against a real issuer on loopback (discovery and JWKS over
/// HTTP): GitHub Actions' claim shape mapped to scopes, and every way a token is refused.
/// </summary>
public sealed class JwtAuthTests(JwtServerFixture fixture) : IClassFixture<JwtServerFixture>
{
    private TestOidcIssuer Trusted => fixture.Trusted;
    private IngestServer Server => fixture.Server;

    [Fact]
    public async Task A_GitHub_Actions_token_may_post_to_its_own_repository_as_the_owners_project()
    {
        var token = Trusted.Mint(Audience, GitHubClaims("Acme/Checkout"));
        var response = await Server.PostWithBearerAsync(token, "acme", "checkout", runId: "github-own-repo");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = (await response.JsonBodyAsync()).GetProperty("location").GetString()!;
        Assert.True(File.Exists(Server.PathOf(location)), "an accepted post must be stored");
    }

    [Fact]
    public async Task A_GitHub_Actions_token_may_not_post_to_another_project_of_its_owner()
    {
        var token = Trusted.Mint(Audience, GitHubClaims("Acme/Checkout"));
        var response = await Server.PostWithBearerAsync(token, "acme", "billing", runId: "github-other-repo");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer realm=\"stricture\", error=\"insufficient_scope\", scope=\"acme/billing\"", response.Headers.WwwAuthenticate.ToString());
        var problem = await Problem.AssertAsync(response, "missing-scope");
        Assert.Equal("acme/billing", problem.Raw.GetProperty("scope").GetString());
        Assert.Contains("acme/checkout", problem.Detail);
        Assert.False(Directory.Exists(Server.PathOf("stricture/v1/org=acme/project=billing")), "a forbidden post must store nothing");
    }

    [Fact]
    public async Task A_GitHub_Actions_token_may_not_post_to_another_organization()
    {
        var token = Trusted.Mint(Audience, GitHubClaims("Acme/Checkout"));
        var response = await Server.PostWithBearerAsync(token, "globex", "checkout");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("globex/checkout", (await Problem.AssertAsync(response, "missing-scope")).Raw.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_GitHub_Actions_token_of_an_owner_not_on_the_allow_list_is_refused()
    {
        var token = Trusted.Mint(Audience, GitHubClaims("Mallory/Checkout"));
        await AssertUnauthorizedAsync(await Server.PostWithBearerAsync(token, "mallory", "checkout"), "organization-not-allowed");
    }

    [Fact]
    public async Task A_request_without_a_token_is_a_401_with_a_bare_bearer_challenge()
    {
        var response = await Server.PostWithBearerAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"stricture\"", response.Headers.WwwAuthenticate.ToString());
        await Problem.AssertAsync(response, "missing-token");
    }

    public static TheoryData<string, string> Refusals => new()
    {
        // case, expected problem code
        { "expired", "token-expired" },
        { "not-yet-valid", "token-not-yet-valid" },
        { "signed-by-another-key-with-a-published-kid", "invalid-signature" },
        { "payload-altered-after-signing", "invalid-signature" },
        { "signed-by-an-unpublished-key", "unknown-signing-key" },
        { "from-an-untrusted-issuer", "untrusted-issuer" },
        { "claiming-the-trusted-issuer-but-signed-by-another", "unknown-signing-key" },
        { "for-another-audience", "wrong-audience" },
        { "alg-none", "unsigned-token" },
        { "hmac-with-the-public-key-as-secret", "disallowed-algorithm" },
        { "hmac-with-a-guessed-secret", "disallowed-algorithm" },
        { "not-a-jwt", "malformed-token" },
        { "without-a-subject", "missing-claim" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_token_that_is_not_valid_is_a_401_naming_what_is_wrong_and_stores_nothing(string token, string code)
    {
        var response = await Server.PostWithBearerAsync(TokenFor(token), runId: "refused-" + token);

        await AssertUnauthorizedAsync(response, code);
        Assert.False(Directory.Exists(Server.PathOf("stricture/v1/org=acme/project=checkout/service=api/date=" + DateTime.UtcNow.ToString("yyyy-MM-dd") + "/run=refused-" + token)),
            $"a token {token} must store nothing");
    }

    [Fact]
    public async Task Clock_skew_lets_a_token_that_just_expired_through_but_no_more()
    {
        // The default allowance is 60 seconds.
        var justExpired = Trusted.Mint(Audience, GitHubClaims(), expires: DateTime.UtcNow.AddSeconds(-20), notBefore: DateTime.UtcNow.AddMinutes(-10));
        var longExpired = Trusted.Mint(Audience, GitHubClaims(), expires: DateTime.UtcNow.AddSeconds(-90), notBefore: DateTime.UtcNow.AddMinutes(-10));

        Assert.Equal(HttpStatusCode.Accepted, (await Server.PostWithBearerAsync(justExpired)).StatusCode);
        await AssertUnauthorizedAsync(await Server.PostWithBearerAsync(longExpired), "token-expired");
    }

    [Fact]
    public async Task An_EC_signed_token_verifies_like_an_RSA_one()
    {
        await using var issuer = await TestOidcIssuer.StartAsync(TestSigningKey.EcP256());
        await using var server = IngestServer.Start(GitHubSettings(issuer));
        var token = issuer.Mint(Audience, GitHubClaims());
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token)).StatusCode);
    }

    private string TokenFor(string refusal)
    {
        var now = DateTime.UtcNow;
        var claims = GitHubClaims();
        switch (refusal)
        {
            case "expired":
                return Trusted.Mint(Audience, claims, expires: now.AddMinutes(-5), notBefore: now.AddMinutes(-20));
            case "not-yet-valid":
                return Trusted.Mint(Audience, claims, notBefore: now.AddMinutes(5), expires: now.AddMinutes(20));
            case "signed-by-another-key-with-a-published-kid":
                return Trusted.Mint(Audience, claims, key: TestSigningKey.Rsa(Trusted.SigningKey.KeyId));
            case "payload-altered-after-signing":
                return AlteredAfterSigning();
            case "signed-by-an-unpublished-key":
                return Trusted.Mint(Audience, claims, key: TestSigningKey.Rsa());
            case "from-an-untrusted-issuer":
                return fixture.Untrusted.Mint(Audience, claims);
            case "claiming-the-trusted-issuer-but-signed-by-another":
                return fixture.Untrusted.Mint(Audience, claims, issuer: Trusted.Issuer);
            case "for-another-audience":
                return Trusted.Mint("https://github.com/acme", claims);
            case "alg-none":
                return TestOidcIssuer.Forge(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, Trusted.Payload(Audience), secret: null);
            case "hmac-with-the-public-key-as-secret":
                return TestOidcIssuer.Forge(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = Trusted.SigningKey.KeyId },
                    Trusted.Payload(Audience), Trusted.SigningKey.PublicKeyBytes());
            case "hmac-with-a-guessed-secret":
                return TestOidcIssuer.Forge(new JsonObject { ["alg"] = "HS512", ["typ"] = "JWT" }, Trusted.Payload(Audience), new byte[64]);
            case "not-a-jwt":
                return "primary-token-0123456789abcdef";
            case "without-a-subject":
                claims.Remove("sub");
                return Trusted.Mint(Audience, claims);
            default:
                throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "no such case");
        }
    }

    /// <summary>A genuine token for Acme/Other whose payload was then edited to claim Acme/Checkout.</summary>
    private string AlteredAfterSigning()
    {
        var parts = Trusted.Mint(Audience, GitHubClaims("Acme/Other")).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["repository"] = "Acme/Checkout";
        return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
    }
}
