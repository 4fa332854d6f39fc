using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Stricture.Storage.Identity;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>
/// Mirror mode end to end, with real processes: ingest writes to its data directory and spools;
/// the replicator copies to the real S3 server. Every acknowledged record must reach the bucket
/// byte-identical, exactly once, however the processes are stopped.
/// </summary>
public sealed class MirrorGraphTests
{
    private static readonly TimeSpan ReplicationTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Acknowledged_records_reach_the_bucket_byte_identical_and_the_bucket_alone_answers_queries()
    {
        await using var graph = await MirrorGraph.StartAsync();
        var acknowledged = await PostManyAsync(graph, "graph", 40);

        await graph.WaitUntilReplicatedAsync(ReplicationTimeout);

        foreach (var (location, sha256) in acknowledged.Values)
        {
            Assert.Equal(sha256, Posts.Sha256((await graph.ReadBucketAsync(location))!));
        }
        Assert.Equal(HttpStatusCode.OK, (await graph.ReplicatorHealthAsync()).StatusCode);
        var (exitCode, output) = await ServiceProcess.RunReplicatorCommandAsync(graph.DataDirectory, graph.Environment, "verify");
        Assert.True(exitCode == 0, output);
        Assert.Contains("0 differences", output);

        // Query parity: a server on the s3 driver, reading the bucket alone, answers as ingest does.
        var s3Settings = graph.S3.IngestSettings(graph.Bucket);
        s3Settings["STRICTURE_SERVER_RECONCILE_ON_START"] = "false";
        await using var bucketOnly = IngestServer.Start(s3Settings);
        foreach (var path in new[] { "/v1/runs/acme/checkout/api/latest", "/v1/runs/acme/checkout/api?from=2026-11-20&to=2026-11-22&limit=1000" })
        {
            var fromDisk = await graph.IngestClient.GetStringAsync(path);
            Assert.Equal(fromDisk, await bucketOnly.Client.GetStringAsync(path));
        }
    }

    [Fact]
    public async Task A_replicator_killed_mid_upload_and_restarted_leaves_every_record_in_the_bucket_exactly_once()
    {
        await using var graph = await MirrorGraph.StartAsync();
        var posting = PostManyAsync(graph, "killed", 200, concurrency: 8);

        // Kill it twice while the posts (and its uploads) are flowing, restarting it each time.
        for (var kill = 0; kill < 2; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            await graph.KillReplicatorAsync();
            await graph.StartReplicatorAsync();
        }
        var acknowledged = await posting;

        await graph.WaitUntilReplicatedAsync(ReplicationTimeout);
        await AssertExactlyOnceAsync(graph, acknowledged);
    }

    [Fact]
    public async Task Ingest_restarted_during_replication_loses_nothing_and_keeps_spooling()
    {
        await using var graph = await MirrorGraph.StartAsync();
        var before = await PostManyAsync(graph, "before-restart", 60, concurrency: 8);

        await graph.KillIngestAsync();
        await graph.StartIngestAsync();
        var after = await PostManyAsync(graph, "after-restart", 60, concurrency: 8);

        await graph.WaitUntilReplicatedAsync(ReplicationTimeout);
        await AssertExactlyOnceAsync(graph, new Dictionary<string, (string, string)>(before.Concat(after)));
    }

    /// <summary>Posts runs of one service over three days; returns run id → (location, sha256) for every 202.</summary>
    internal static async Task<ConcurrentDictionary<string, (string Location, string Sha256)>> PostManyAsync(
        MirrorGraph graph, string prefix, int count, int concurrency = 4)
    {
        var acknowledged = new ConcurrentDictionary<string, (string, string)>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var runId = $"{prefix}-{i:D3}";
            var response = await graph.IngestClient.PostAsync(Posts.Valid(runId: runId, generatedAt: $"2026-11-{20 + i % 3}T10:{i / 60 % 60:D2}:{i % 60:D2}Z"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var body = await response.JsonBodyAsync();
            acknowledged[runId] = (body.GetProperty("location").GetString()!, body.GetProperty("sha256").GetString()!);
        });
        return acknowledged;
    }

    /// <summary>Every acknowledged record in the bucket with its SHA-256, once in its compacted manifest; the verify command agrees.</summary>
    internal static async Task AssertExactlyOnceAsync(MirrorGraph graph, IReadOnlyDictionary<string, (string Location, string Sha256)> acknowledged)
    {
        foreach (var (location, sha256) in acknowledged.Values)
        {
            Assert.Equal(sha256, Posts.Sha256((await graph.ReadBucketAsync(location))!));
        }
        var manifestRuns = new List<string>();
        foreach (var day in new[] { "2026-11-20", "2026-11-21", "2026-11-22" })
        {
            var manifest = await graph.CompactBucketDayAsync(
                ServiceIdentity.Create("acme", "checkout", "api"), DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
            manifestRuns.AddRange(System.Text.Encoding.UTF8.GetString(manifest ?? [])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("run_id").GetString()!));
        }
        Assert.Equal(acknowledged.Keys.Order(StringComparer.Ordinal), manifestRuns.Order(StringComparer.Ordinal));
        Assert.Equal(0, graph.Spool.QuarantinedCount());
        var (exitCode, output) = await ServiceProcess.RunReplicatorCommandAsync(graph.DataDirectory, graph.Environment, "verify");
        Assert.True(exitCode == 0, output);
    }
}
