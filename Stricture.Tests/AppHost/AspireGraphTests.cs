using System.Net;
using Stricture.Tests.Infrastructure;
using Stricture.Tests.S3;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The whole graph as a developer runs it (dotnet run, project Stricture.AppHost), with the real S3
/// test server as its store. Pauses that server, so it runs alone (see <see cref="S3OutageCollection"/>).
/// </summary>
[Collection(nameof(S3OutageCollection))]
public sealed class AspireGraphTests(AspireGraph graph) : IClassFixture<AspireGraph>
{
    private static readonly TimeSpan ReplicationTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_post_through_the_graph_is_read_back_and_reaches_the_bucket_byte_identical()
    {
        using var anonymous = graph.IngestClient(authenticated: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Posts.Valid(runId: "graph-anonymous"))).StatusCode);

        using var client = graph.IngestClient();
        var response = await client.PostAsync(Posts.Valid(runId: "graph-001", generatedAt: "2026-11-22T09:30:00Z"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonBodyAsync();
        var location = accepted.GetProperty("location").GetString()!;
        var sha256 = accepted.GetProperty("sha256").GetString()!;

        // Read back through the graph's read API: by id, latest, and by date.
        var byId = await client.GetAsync("/v1/runs/acme/checkout/api/graph-001");
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal(sha256, Posts.Sha256(await byId.Content.ReadAsByteArrayAsync()));
        var latest = await client.GetAsync("/v1/runs/acme/checkout/api/latest");
        Assert.Equal("/v1/runs/acme/checkout/api/graph-001", latest.Content.Headers.ContentLocation?.OriginalString);
        var day = await (await client.GetAsync("/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-22")).JsonBodyAsync();
        Assert.Equal(location, Assert.Single(day.GetProperty("runs").EnumerateArray()).GetProperty("key").GetString());

        // The replicator copies it to the bucket the AppHost created.
        var copied = await graph.ReadFromBucketWhenPresentAsync(location, ReplicationTimeout);
        Assert.True(copied is not null, $"{location} must reach the bucket {graph.Bucket}");
        Assert.Equal(sha256, Posts.Sha256(copied!));
    }

    [Fact]
    public async Task While_the_store_is_paused_ingest_keeps_accepting_and_the_backlog_converges_after_it()
    {
        using var client = graph.IngestClient();
        var accepted = new Dictionary<string, string>();

        // 1. Pause the S3 server: mirror mode acknowledges from local disk, so every post is still a 202.
        await using (await GatewayPause.StartAsync(graph.S3))
        {
            for (var i = 0; i < 10; i++)
            {
                var response = await client.PostAsync(Posts.Valid(runId: $"graph-outage-{i:D3}"));
                Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"post {i} during the outage must be accepted, got {response.StatusCode}");
                var body = await response.JsonBodyAsync();
                accepted[body.GetProperty("location").GetString()!] = body.GetProperty("sha256").GetString()!;
            }
        }

        // 2. Resumed: the replicator drains the backlog by itself, every record byte-identical.
        foreach (var (location, sha256) in accepted)
        {
            var copied = await graph.ReadFromBucketWhenPresentAsync(location, ReplicationTimeout);
            Assert.True(copied is not null, $"{location}, accepted during the outage, must reach the bucket after it");
            Assert.Equal(sha256, Posts.Sha256(copied!));
        }
    }
}
