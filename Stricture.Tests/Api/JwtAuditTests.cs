using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>The audit event of a JWT request names the issuer and subject and the scope decision, never the token.</summary>
public sealed class JwtAuditTests
{
    [Fact]
    public async Task Accepted_denied_and_refused_JWT_requests_are_audited_with_principal_and_scope_decision_but_no_token()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var server = IngestServer.Start(GitHubSettings(issuer));
        var token = issuer.Mint(Audience, GitHubClaims("Acme/Checkout"));
        var expired = issuer.Mint(Audience, GitHubClaims(), expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-20));
        var stranger = issuer.Mint(Audience, GitHubClaims("Mallory/Checkout"));

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token, "acme", "checkout", runId: "audited-jwt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(token, "acme", "billing")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostWithBearerAsync(expired)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostWithBearerAsync(stranger, "mallory", "checkout")).StatusCode);

        var events = await ReadAuditAsync(server, expected: 4);
        Assert.Equal(4, events.Count);
        var workflow = issuer.Issuer + "#repo:Acme/Checkout:ref:refs/heads/main";

        Assert.Equal(("accepted", 202, "stored", workflow), Summary(events[0]));
        Assert.Equal("acme/checkout", events[0].GetProperty("scope").GetString());
        Assert.Equal("allowed", events[0].GetProperty("scope_decision").GetString());
        Assert.Equal("audited-jwt", events[0].GetProperty("run_id").GetString());

        Assert.Equal(("rejected", 403, "missing-scope", workflow), Summary(events[1]));
        Assert.Equal("acme/billing", events[1].GetProperty("scope").GetString());
        Assert.Equal("denied", events[1].GetProperty("scope_decision").GetString());

        Assert.Equal(("rejected", 401, "token-expired", "anonymous"), Summary(events[2]));
        Assert.False(events[2].TryGetProperty("scope_decision", out _), "no scope is decided for an unauthenticated request");

        // A genuine token refused for who it is: the audit says who.
        Assert.Equal(("rejected", 401, "organization-not-allowed", issuer.Issuer + "#repo:Mallory/Checkout:ref:refs/heads/main"), Summary(events[3]));

        var raw = await File.ReadAllTextAsync(AuditFile(server));
        foreach (var secret in new[] { token, expired, stranger })
        {
            Assert.DoesNotContain(secret.Split('.')[2], raw);
            Assert.DoesNotContain(secret.Split('.')[1], raw);
        }
    }

    [Fact]
    public async Task Without_authentication_the_scope_is_recorded_as_not_required()
    {
        await using var server = IngestServer.Start();
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(Posts.Valid())).StatusCode);
        var audit = Assert.Single(await ReadAuditAsync(server, expected: 1));
        Assert.Equal("not-required", audit.GetProperty("scope_decision").GetString());
    }

    private static (string, int, string, string) Summary(System.Text.Json.JsonElement e) =>
        (e.GetProperty("outcome").GetString()!, e.GetProperty("status").GetInt32(), e.GetProperty("reason").GetString()!, e.GetProperty("principal").GetString()!);
}
