using System.Net;
using System.Text;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Upstream;

/// <summary>
/// Requests modelled on the upstream Go server's own tests and clients, through the real HTTP
/// pipeline: a post without a Content-Type, short and upper-case commit SHAs, HEAD probes, and
/// clients that read only <c>{"error": "..."}</c> from a failure.
/// </summary>
public sealed class UpstreamClientTests(UpstreamClientTests.TokenServer shared) : IClassFixture<UpstreamClientTests.TokenServer>
{
    private const string Token = "upstream-token-0123456789abcdef";

    private readonly IngestServer _server = shared.Server;

    /// <summary>A client that sends the token; <c>_server.Client</c> sends none.</summary>
    private HttpClient Authorized() => shared.Authorized;

    public sealed class TokenServer : SharedIngestServer
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
        };

        public HttpClient Authorized => field ??= new HttpClient
        {
            BaseAddress = Server.BaseAddress,
            DefaultRequestHeaders = { Authorization = new("Bearer", Token) },
        };
    }

    [Fact]
    public async Task An_upstream_client_posting_with_a_token_and_no_content_type_is_accepted()
    {
        // The upstream auth test's body and headers: a bearer token, and no Content-Type at all.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"organization":"acme","project":"checkout","service":"gateway","artifact":{"field":"f"}}""")),
        };
        request.Headers.Authorization = new("Bearer", Token);

        var response = await _server.Client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var accepted = await response.JsonBodyAsync();
        Assert.True(accepted.GetProperty("accepted").GetBoolean(), "upstream clients read 'accepted'");
        Assert.False(string.IsNullOrEmpty(accepted.GetProperty("run_id").GetString()), "upstream clients read 'run_id'");
    }

    [Fact]
    public async Task The_same_post_without_a_token_is_a_401_whose_error_member_says_why()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"organization":"acme","project":"checkout","service":"gateway","artifact":{"field":"f"}}""")),
        };

        var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await Problem.AssertAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.Raw.GetProperty("error").GetString()), "an upstream client prints the error member");
    }

    [Theory]
    [InlineData("abc123", "abc123")]
    [InlineData("ABC1", "abc1")]
    [InlineData("0123456789ABCDEF0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567")]
    public async Task A_short_or_upper_case_commit_sha_is_accepted_stored_lower_case_and_found_by_either_case(string sent, string stored)
    {
        var service = "sha-" + stored[..4] + "-" + sent.Length;
        var body = Posts.Valid(runId: "run-1", service: service, generatedAt: "2026-11-22T10:00:00Z");
        body["commit_sha"] = sent;

        var accepted = await Authorized().PostAsync(body);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"commit_sha '{sent}' must be accepted: {await accepted.Content.ReadAsStringAsync()}");

        var run = await (await Authorized().GetAsync($"/v1/runs/acme/checkout/{service}/run-1")).JsonBodyAsync();
        Assert.Equal(stored, run.GetProperty("commit_sha").GetString());
        foreach (var query in new[] { sent[..4].ToUpperInvariant(), sent[..4].ToLowerInvariant() })
        {
            var page = await (await Authorized().GetAsync($"/v1/runs/acme/checkout/{service}?from=2026-11-22&to=2026-11-22&commit={query}")).JsonBodyAsync();
            Assert.True(page.GetProperty("runs").GetArrayLength() == 1, $"commit={query} must find the run of commit {stored}: {page}");
        }
    }

    [Theory]
    [InlineData("/healthz", false)]
    [InlineData("/health", false)]
    [InlineData("/alive", false)]
    [InlineData("/openapi/v1.json", false)]
    [InlineData("/v1/runs/acme/checkout/head-probe/latest", true)]
    [InlineData("/v1/runs/acme/checkout/head-probe/run-1", true)]
    [InlineData("/v1/runs/acme/checkout/head-probe?from=2026-11-22&to=2026-11-22", true)]
    [InlineData("/v1/orgs/acme/services", true)]
    [InlineData("/v1/orgs/acme/drift", true)]
    public async Task HEAD_answers_wherever_GET_does_with_its_status_and_headers_and_no_body(string path, bool authorized)
    {
        await Authorized().PostAsync(Posts.Valid(runId: "run-1", service: "head-probe", generatedAt: "2026-11-22T10:00:00Z"));
        var client = authorized ? Authorized() : _server.Client;

        using var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)get.StatusCode}");
        Assert.True(head.StatusCode == get.StatusCode, $"HEAD {path} answered {(int)head.StatusCode}, GET {(int)get.StatusCode}");
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        Assert.Equal(get.Headers.ETag?.ToString(), head.Headers.ETag?.ToString());
        Assert.Equal(get.Headers.CacheControl?.ToString(), head.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task HEAD_of_a_run_that_does_not_exist_is_a_404_without_a_body()
    {
        using var head = await Authorized().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/runs/acme/checkout/head-missing/run-9"));

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HEAD_of_the_post_only_endpoint_is_still_a_405()
    {
        using var head = await Authorized().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/artifacts"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v1/artifacts", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/healthz", HttpStatusCode.MethodNotAllowed)]
    public async Task The_frameworks_own_problems_carry_the_error_member_too(string method, string path, HttpStatusCode status)
    {
        var response = await Authorized().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.TryGetProperty("error", out var error) && error.GetString() == body.GetProperty("title").GetString(),
            $"a problem without a detail carries its title as the error member: {body}");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_each_operation_once()
    {
        var document = await (await _server.Client.GetAsync("/openapi/v1.json")).JsonBodyAsync();
        var ids = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _)))
            .Select(operation => operation.Value.GetProperty("operationId").GetString())
            .ToList();

        Assert.True(ids.Count == ids.Distinct().Count(), $"operationIds must be unique: {string.Join(", ", ids)}");
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), path => path.Value.TryGetProperty("head", out _));
    }
}
