using System.Diagnostics;
using System.Net;
using Amazon.S3.Model;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>Pausing the shared S3 server would fail every other S3 test, so these run alone.</summary>
[CollectionDefinition(nameof(S3OutageCollection), DisableParallelization = true)]
public sealed class S3OutageCollection;

[Collection(nameof(S3OutageCollection))]
public sealed class S3OutageTests
{
    [Fact]
    public async Task While_the_s3_server_is_paused_ingest_answers_503_quickly_stores_nothing_partial_and_then_recovers()
    {
        var s3 = await S3TestServer.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        var settings = s3.IngestSettings(bucket);
        settings["STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS"] = "1";
        settings["STRICTURE_SERVER_OBJECT_MAX_RETRIES"] = "1";
        await using var server = IngestServer.Start(settings);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(Posts.Valid(runId: "before-outage"))).StatusCode);

        // 1. Pause the S3 server: connections are accepted by the kernel, but nothing answers.
        HttpResponseMessage duringOutage;
        TimeSpan took;
        await using (await GatewayPause.StartAsync(s3))
        {
            var stopwatch = Stopwatch.StartNew();
            duringOutage = await server.Client.PostAsync(Posts.Valid(runId: "during-outage"));
            took = stopwatch.Elapsed;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health")).StatusCode);
        } // 2. Resumed, whatever happened.

        // 3. The post failed fast and clearly: 503, Retry-After, a problem body.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, duringOutage.StatusCode);
        Assert.NotNull(duringOutage.Headers.RetryAfter);
        await Problem.AssertAsync(duringOutage, "storage-unavailable");
        Assert.True(took < TimeSpan.FromSeconds(20), $"a 503 must come within a bounded time; took {took}");

        // 4. Nothing partial: no payload for the failed post (at most its claim, which a retry completes).
        using var client = s3.CreateClient();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "stricture/" });
        Assert.DoesNotContain(listing.S3Objects ?? [], o => o.Key.Contains("run=during-outage/", StringComparison.Ordinal));

        // 5. Recovery: the client's retry succeeds and the record is whole.
        var retry = await PostUntilAcceptedAsync(server, "during-outage");
        var location = (await retry.JsonBodyAsync()).GetProperty("location").GetString()!;
        using var stored = await client.GetObjectAsync(bucket, location);
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        Assert.Equal((await retry.JsonBodyAsync()).GetProperty("sha256").GetString(), Posts.Sha256(bytes.ToArray()));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostUntilAcceptedAsync(IngestServer server, string runId)
    {
        // The gateway needs a moment after SIGCONT; a CI client would retry after Retry-After the same way.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await server.Client.PostAsync(Posts.Valid(runId: runId));
            if (response.StatusCode == HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                return response;
            }
            await Task.Delay(500);
        }
    }
}
