using System.Diagnostics;
using Stricture.Tests.Infrastructure;
using Stricture.Tests.S3;

namespace Stricture.Tests.Mirror;

/// <summary>Pauses the shared S3 server, so it runs alone (see <see cref="S3OutageCollection"/>).</summary>
[Collection(nameof(S3OutageCollection))]
public sealed class MirrorOutageTests
{
    [Fact]
    public async Task During_an_object_store_outage_ingest_keeps_answering_202_and_the_backlog_drains_after_it()
    {
        await using var graph = await MirrorGraph.StartAsync(new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS"] = "1",
            ["STRICTURE_SERVER_OBJECT_MAX_RETRIES"] = "1",
            ["STRICTURE_REPLICATOR_MAX_LAG_SECONDS"] = "2",
        });
        var before = await MirrorGraphTests.PostManyAsync(graph, "before-outage", 20);

        // 1. Pause the S3 server: ingest must not notice; the replicator's lag grows and /health says so.
        System.Collections.Concurrent.ConcurrentDictionary<string, (string Location, string Sha256)> during;
        string degraded;
        await using (await GatewayPause.StartAsync(graph.S3))
        {
            var stopwatch = Stopwatch.StartNew();
            during = await MirrorGraphTests.PostManyAsync(graph, "during-outage", 40);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"ingest must not wait for the object store; 40 posts took {stopwatch.Elapsed}");
            await Task.Delay(TimeSpan.FromSeconds(4));
            degraded = await (await graph.ReplicatorHealthAsync()).Content.ReadAsStringAsync();
            Assert.True(graph.Spool.Backlog().Count > 0, "the posts made during the outage wait in the spool");
        }
        Assert.Equal("Degraded", degraded);

        // 2. After the outage, the replicator resumes by itself and the backlog drains.
        await graph.WaitUntilReplicatedAsync(TimeSpan.FromSeconds(120));
        await MirrorGraphTests.AssertExactlyOnceAsync(graph, new Dictionary<string, (string, string)>(before.Concat(during)));
        Assert.Equal("Healthy", await (await graph.ReplicatorHealthAsync()).Content.ReadAsStringAsync());
    }
}
