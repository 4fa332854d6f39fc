using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>The Cloudflare Access and Microsoft Entra ID presets, and a generic OIDC provider with configured claim names.</summary>
public sealed class JwtProviderTests
{
    [Fact]
    public async Task A_Cloudflare_Access_service_token_JWT_in_its_own_header_is_accepted_with_the_issuers_scopes()
    {
        await using var team = await TestOidcIssuer.StartAsync(TestSigningKey.EcP256());
        const string applicationAudience = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "jwt",
            [IssuerSetting("cloudflare", "PROVIDER")] = "cloudflare",
            [IssuerSetting("cloudflare", "ISSUER")] = team.Issuer,
            [IssuerSetting("cloudflare", "AUDIENCE")] = applicationAudience,
            [IssuerSetting("cloudflare", "SCOPES")] = "acme/*",
        });
        // What Access puts in a service token's JWT: an empty sub, the token's client id in common_name.
        var token = team.Mint(applicationAudience, new Dictionary<string, object>
        {
            ["sub"] = "",
            ["common_name"] = "88bf3b6d86161464f6509f7219099e57.access",
            ["type"] = "app",
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid()) };
        request.Headers.Add("Cf-Access-Jwt-Assertion", token);
        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, team.RequestsTo(TestOidcIssuer.CloudflareCertsPath));
        var audit = Assert.Single(await ReadAuditAsync(server, expected: 1));
        Assert.Equal(team.Issuer + "#88bf3b6d86161464f6509f7219099e57.access", audit.GetProperty("principal").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(token, "globex", "checkout")).StatusCode);
    }

    [Fact]
    public async Task An_Entra_ID_token_is_scoped_by_its_app_roles()
    {
        await using var tenant = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "jwt",
            [IssuerSetting("entra", "PROVIDER")] = "entra",
            [IssuerSetting("entra", "ISSUER")] = tenant.Issuer,
            [IssuerSetting("entra", "AUDIENCE")] = "api://stricture",
        });
        var token = tenant.Mint("api://stricture", new Dictionary<string, object>
        {
            ["sub"] = "5f1d6a53-7e55-4b54-9e0b-5a1a8a6f6f01",
            ["azp"] = "0b6bd4e5-6a8f-4f7e-9d2b-2d3b1c0e9a11",
            ["roles"] = new[] { "acme/checkout", "globex/*" },
        });

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token, "acme", "checkout")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token, "globex", "payments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(token, "acme", "billing")).StatusCode);
    }

    [Fact]
    public async Task A_scope_claim_can_never_grant_everything()
    {
        await using var tenant = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "jwt",
            [IssuerSetting("0", "PROVIDER")] = "entra",
            [IssuerSetting("0", "ISSUER")] = tenant.Issuer,
            [IssuerSetting("0", "AUDIENCE")] = "api://stricture",
        });
        var token = tenant.Mint("api://stricture", new Dictionary<string, object> { ["sub"] = "app", ["roles"] = new[] { "*" } });

        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Any_OIDC_provider_works_with_configured_claim_names()
    {
        await using var provider = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "jwt",
            [IssuerSetting("keycloak", "ISSUER")] = provider.Issuer,
            [IssuerSetting("keycloak", "AUDIENCE")] = "stricture-ingest, stricture",
            [IssuerSetting("keycloak", "SUBJECT_CLAIM")] = "client_id",
            [IssuerSetting("keycloak", "ORGANIZATION_CLAIM")] = "tenant",
            [IssuerSetting("keycloak", "PROJECT_CLAIM")] = "team",
            [IssuerSetting("keycloak", "SCOPES_CLAIM")] = "scope",
        });
        var token = provider.Mint("stricture", new Dictionary<string, object>
        {
            ["sub"] = "f00",
            ["client_id"] = "lineage-ci",
            ["tenant"] = "Acme",
            ["team"] = "checkout",
            ["scope"] = "openid globex/billing",
        });

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token, "acme", "checkout")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token, "globex", "billing")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(token, "acme", "billing")).StatusCode);
        var audit = await ReadAuditAsync(server, expected: 1);
        Assert.Equal(provider.Issuer + "#lineage-ci", audit[0].GetProperty("principal").GetString());
    }

    [Fact]
    public async Task Two_issuers_can_be_trusted_at_once_each_with_its_own_rules()
    {
        await using var github = await TestOidcIssuer.StartAsync();
        await using var other = await TestOidcIssuer.StartAsync(TestSigningKey.EcP256());
        var settings = GitHubSettings(github);
        settings[IssuerSetting("1", "ISSUER")] = other.Issuer;
        settings[IssuerSetting("1", "AUDIENCE")] = "stricture";
        settings[IssuerSetting("1", "SCOPES")] = "globex/*";
        await using var server = IngestServer.Start(settings);

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(github.Mint(Audience, GitHubClaims()))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(other.Mint(Audience), "globex", "payments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(other.Mint(Audience), "acme", "checkout")).StatusCode);
    }
}
