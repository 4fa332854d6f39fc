using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.Infrastructure.AuthTestSupport;

namespace Stricture.Tests.Api;

/// <summary>
/// Scoped shared tokens: a file of SHA-256 hashes with the scopes each grants and its expiry,
/// read again when it changes, with no restart.
/// </summary>
public sealed class ScopedTokenFileTests
{
    private static Dictionary<string, string?> TokenMode(TokenFile file, string? unscoped = null) => new()
    {
        ["STRICTURE_SERVER_AUTH_MODE"] = "token",
        ["STRICTURE_SERVER_TOKEN_FILE"] = file.Path,
        ["STRICTURE_SERVER_INGEST_TOKEN"] = unscoped,
    };

    [Fact]
    public async Task A_project_token_may_post_to_its_project_and_no_other()
    {
        var checkout = ScopedTestToken.Valid("checkout-ci", "acme/checkout");
        using var file = new TokenFile(checkout);
        await using var server = IngestServer.Start(TokenMode(file));

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(checkout.Secret, "acme", "checkout")).StatusCode);
        var forbidden = await server.PostWithBearerAsync(checkout.Secret, "acme", "billing");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("acme/billing", (await Problem.AssertAsync(forbidden, "missing-scope")).Raw.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task An_organization_token_may_post_to_every_project_of_that_organization_only()
    {
        var acme = ScopedTestToken.Valid("acme-ci", "acme/*");
        using var file = new TokenFile(acme);
        await using var server = IngestServer.Start(TokenMode(file));

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(acme.Secret, "acme", "checkout")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(acme.Secret, "acme", "billing")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostWithBearerAsync(acme.Secret, "globex", "checkout")).StatusCode);
    }

    [Fact]
    public async Task An_expired_scoped_token_is_a_401_and_the_audit_names_it_without_the_secret()
    {
        var expired = ScopedTestToken.Valid("old-ci", "acme/*") with { Expires = DateTime.UtcNow.AddMinutes(-1) };
        using var file = new TokenFile(expired);
        await using var server = IngestServer.Start(TokenMode(file));

        var response = await server.PostWithBearerAsync(expired.Secret);

        await AssertUnauthorizedAsync(response, "token-expired");
        var audit = Assert.Single(await ReadAuditAsync(server, expected: 1));
        Assert.Equal("token-expired", audit.GetProperty("reason").GetString());
        Assert.Equal("token:old-ci", audit.GetProperty("principal").GetString());
        Assert.DoesNotContain(expired.Secret, await File.ReadAllTextAsync(AuditFile(server)));
    }

    [Fact]
    public async Task Tokens_added_to_and_removed_from_the_file_take_effect_without_a_restart()
    {
        var first = ScopedTestToken.Valid("first", "acme/*");
        var second = ScopedTestToken.Valid("second", "acme/*");
        using var file = new TokenFile(first);
        await using var server = IngestServer.Start(TokenMode(file));
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(second.Secret), "invalid-token");

        file.Write(first, second);
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(second.Secret)).StatusCode);

        file.Write(second);
        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(first.Secret), "invalid-token");
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(second.Secret)).StatusCode);
    }

    [Fact]
    public async Task A_broken_rewrite_leaves_the_previous_tokens_in_force()
    {
        var token = ScopedTestToken.Valid("steady", "acme/*");
        using var file = new TokenFile(token);
        await using var server = IngestServer.Start(TokenMode(file));
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token.Secret)).StatusCode);

        file.WriteText("{ \"tokens\": [ { \"id\": \"half-writ");

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token.Secret)).StatusCode);
    }

    [Fact]
    public async Task Deleting_the_file_revokes_its_tokens()
    {
        var token = ScopedTestToken.Valid("revoked", "acme/*");
        using var file = new TokenFile(token);
        await using var server = IngestServer.Start(TokenMode(file));
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(token.Secret)).StatusCode);

        file.Delete();

        await AssertUnauthorizedAsync(await server.PostWithBearerAsync(token.Secret), "invalid-token");
    }

    [Fact]
    public async Task The_unscoped_ingest_token_keeps_every_scope_next_to_the_file()
    {
        const string unscoped = "unscoped-token-0123456789abcdef";
        using var file = new TokenFile(ScopedTestToken.Valid("narrow", "acme/checkout"));
        await using var server = IngestServer.Start(TokenMode(file, unscoped));

        Assert.Equal(HttpStatusCode.Accepted, (await server.PostWithBearerAsync(unscoped, "globex", "anything")).StatusCode);
        var audit = Assert.Single(await ReadAuditAsync(server, expected: 1));
        Assert.Equal("token:primary", audit.GetProperty("principal").GetString());
        Assert.Equal("allowed", audit.GetProperty("scope_decision").GetString());
    }

    [Theory]
    [InlineData("/v1/runs/acme/checkout/api/latest")]
    [InlineData("/v1/runs/acme/checkout/api")]
    [InlineData("/v1/runs/acme/checkout/api/scoped-read")]
    public async Task Reads_are_scoped_like_writes(string path)
    {
        var checkout = ScopedTestToken.Valid("checkout-ci", "acme/checkout");
        var other = ScopedTestToken.Valid("other-ci", "acme/other");
        using var file = new TokenFile(checkout, other);
        await using var server = IngestServer.Start(TokenMode(file));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid(runId: "scoped-read")) };
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", checkout.Secret);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.SendAsync(post)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(server, path, checkout.Secret)).StatusCode);
        var denied = await ReadAsync(server, path, other.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var problem = await Problem.AssertAsync(denied, "missing-scope");
        Assert.Equal("acme/checkout", problem.Raw.GetProperty("scope").GetString());
    }

    private static Task<HttpResponseMessage> ReadAsync(IngestServer server, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return server.Client.SendAsync(request);
    }
}
