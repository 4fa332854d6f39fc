using System.Net;
using System.Net.Http.Headers;
using Stricture.Tests.Discovery;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Function;

/// <summary>The services listing and the drift feed in function mode: the built binary on a loopback Runtime API, storing in the real S3 server.</summary>
public sealed class FunctionDiscoveryTests : IAsyncLifetime
{
    private const string Token = "function-token-0123456789abcdef";

    private S3TestServer _s3 = null!;
    private string _bucket = null!;
    private TestLambdaRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3TestServer.GetAsync();
        _bucket = await _s3.CreateBucketAsync();
        _runtime = await TestLambdaRuntime.StartAsync();
    }

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task A_function_answers_the_services_listing_and_the_drift_feed_from_what_it_stored()
    {
        await using var function = FunctionProcess.Start(_runtime, new Dictionary<string, string>(_s3.IngestEnvironment(_bucket))
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
        });
        var post = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts")
        {
            Content = Posts.Json(OrgScenario.Post("acme", "checkout", "api", "fn-drift", "2026-11-22T10:00:00Z", "diff-high.json")),
        };
        Assert.Equal(HttpStatusCode.Accepted, (await InvokeAsync(post)).StatusCode);

        var services = await (await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/orgs/acme/services"))).JsonBodyAsync();
        var feed = await (await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/orgs/acme/drift?from=2026-11-22&to=2026-11-22&min_severity=high"))).JsonBodyAsync();

        Assert.Equal("fn-drift", services.GetProperty("services")[0].GetProperty("latest").GetProperty("run_id").GetString());
        Assert.Equal(["fn-drift"], OrgScenario.RunIds(feed));
        Assert.Equal(3, feed.GetProperty("runs")[0].GetProperty("drift").GetProperty("first_changes").GetArrayLength());
    }

    private async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(request, "$default"));
        Assert.True(reply.Error is null, $"the function reported an invocation error: {reply.Error?.Body}");
        return HttpApiEvents.ToResponse(reply.Response!);
    }
}
