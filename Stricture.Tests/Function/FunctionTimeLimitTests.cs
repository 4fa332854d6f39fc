using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Stricture.Tests.Infrastructure;
using Stricture.Tests.S3;

namespace Stricture.Tests.Function;

/// <summary>
/// A request still waiting on the object store when the invocation's deadline nears. Lambda would
/// stop the instance and the caller would get a bare 502; the function answers a retryable problem
/// in time and goes on serving. The store is made to hang by pausing the S3 server, so this runs
/// alone, with the other outage tests.
/// </summary>
[Collection(nameof(S3OutageCollection))]
public sealed class FunctionTimeLimitTests : IAsyncLifetime
{
    private const string Token = "time-limit-token-0123456789abcdef";

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

    private async Task<RuntimeReply> PostAsync(string runId, TimeSpan functionTimeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid(runId: runId)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(request), TimeSpan.FromSeconds(60), functionTimeout);
    }

    [Fact]
    public async Task A_post_still_waiting_on_storage_at_the_time_limit_is_a_retryable_problem_and_a_retry_completes_it()
    {
        var settings = new Dictionary<string, string>(_s3.IngestEnvironment(_bucket))
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
            // The SDK would wait far longer than the invocation may: only the time limit ends the wait.
            ["STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS"] = "60",
        };
        await using var function = FunctionProcess.Start(_runtime, settings);
        Assert.Null((await PostAsync("before-pause", TimeSpan.FromSeconds(30))).Error);

        RuntimeReply cutShort;
        TimeSpan took;
        await using (await GatewayPause.StartAsync(_s3))
        {
            var stopwatch = Stopwatch.StartNew();
            cutShort = await PostAsync("cut-short", TimeSpan.FromSeconds(4));
            took = stopwatch.Elapsed;
        }

        Assert.True(cutShort.Error is null, $"the function must answer, not fail the invocation: {cutShort.Error?.Body}");
        var response = HttpApiEvents.ToResponse(cutShort.Response!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        await Problem.AssertAsync(response, "function-timeout");
        Assert.True(took < TimeSpan.FromSeconds(30), $"the answer must come at the time limit, not when storage answers; took {took}");
        Assert.False(function.HasExited, function.Output);

        // The client's retry (after Retry-After; the gateway needs a moment after SIGCONT) stores the run whole.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage retry;
        do
        {
            await Task.Delay(500);
            var reply = await PostAsync("cut-short", TimeSpan.FromSeconds(30));
            Assert.True(reply.Error is null, reply.Error?.Body.ToString());
            retry = HttpApiEvents.ToResponse(reply.Response!);
        }
        while (retry.StatusCode != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        using var client = _s3.CreateClient();
        var location = (await retry.JsonBodyAsync()).GetProperty("location").GetString()!;
        using var stored = await client.GetObjectAsync(_bucket, location);
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        Assert.Equal((await retry.JsonBodyAsync()).GetProperty("sha256").GetString(), Posts.Sha256(bytes.ToArray()));
    }
}
