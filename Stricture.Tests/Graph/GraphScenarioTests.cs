using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Stricture.Ingest.Configuration;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Graph;

/// <summary>
/// The AppHost's topology as real processes (MirrorGraph: ingest and the replicator on one data
/// directory, the real S3 server in MinIO's place) with the environment the AppHost injects,
/// token authentication included: a CI pipeline's post, read back through the read API, and the
/// same bytes in the bucket.
/// </summary>
public sealed class GraphScenarioTests
{
    [Fact]
    public async Task A_post_is_readable_through_the_read_API_at_once_and_reaches_the_bucket_byte_identical()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var graph = await MirrorGraph.StartAsync(new Dictionary<string, string>
        {
            [AuthOptions.ModeSetting] = "token",
            [AuthOptions.IngestTokenSetting] = token,
        });
        var client = graph.IngestClient;
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(Posts.Valid(runId: "graph-scenario-000"))).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Post, as a CI step does.
        var response = await client.PostAsync(Posts.Valid(runId: "graph-scenario-001", generatedAt: "2026-11-22T09:30:00Z"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonBodyAsync();
        var location = accepted.GetProperty("location").GetString()!;
        var sha256 = accepted.GetProperty("sha256").GetString()!;

        // Query: latest, by id and by date, answered from the local catalog before any replication.
        var latest = await client.GetAsync("/v1/runs/acme/checkout/api/latest");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal("/v1/runs/acme/checkout/api/graph-scenario-001", latest.Content.Headers.ContentLocation?.OriginalString);
        Assert.Equal(sha256, Posts.Sha256(await latest.Content.ReadAsByteArrayAsync()));

        var byId = await client.GetAsync("/v1/runs/acme/checkout/api/graph-scenario-001");
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal($"\"{sha256}\"", byId.Headers.ETag?.Tag);
        Assert.Equal(sha256, Posts.Sha256(await byId.Content.ReadAsByteArrayAsync()));

        var day = await (await client.GetAsync("/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-22")).JsonBodyAsync();
        var run = Assert.Single(day.GetProperty("runs").EnumerateArray());
        Assert.Equal("graph-scenario-001", run.GetProperty("run_id").GetString());
        Assert.Equal(location, run.GetProperty("key").GetString());

        // Replicated: the same bytes in the bucket, and the replicator reports itself healthy.
        await graph.WaitUntilReplicatedAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(sha256, Posts.Sha256((await graph.ReadBucketAsync(location))!));
        Assert.Equal(HttpStatusCode.OK, (await graph.ReplicatorHealthAsync()).StatusCode);
    }
}
