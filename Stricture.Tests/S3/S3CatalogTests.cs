using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Identity;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>Manifests and latest pointers on the s3 driver, against the real S3 server.</summary>
public sealed class S3CatalogTests : BucketTest
{
    private const string ManifestKey = "stricture/v1/org=acme/project=checkout/service=api/manifests/date=2026-11-22.jsonl";

    [Fact]
    public async Task Two_server_processes_posting_200_runs_of_one_service_and_day_lose_no_entry_and_each_sees_the_others_runs_at_once()
    {
        using var dataA = new TestDirectory();
        using var dataB = new TestDirectory();
        var environment = S3.IngestEnvironment(Bucket);
        await using var serverA = await ServiceProcess.StartIngestAsync(dataA.Path, environment);
        await using var serverB = await ServiceProcess.StartIngestAsync(dataB.Path, environment);
        using var clientA = new HttpClient { BaseAddress = serverA.BaseAddress };
        using var clientB = new HttpClient { BaseAddress = serverB.BaseAddress };
        var runIds = Enumerable.Range(0, 200).Select(i => $"run-{i:D3}").ToList();

        // Sixteen posts in flight at a time, alternating between the two processes.
        using var inFlight = new SemaphoreSlim(16);
        var statuses = await Task.WhenAll(runIds.Select(async (runId, i) =>
        {
            await inFlight.WaitAsync();
            try
            {
                var body = Posts.Valid(runId: runId, generatedAt: $"2026-11-22T10:{i / 60:D2}:{i % 60:D2}Z");
                return (await (i % 2 == 0 ? clientA : clientB).PostAsync(body)).StatusCode;
            }
            finally
            {
                inFlight.Release();
            }
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
        // Read-your-writes across processes: each process lists every run, the other's included, at once.
        foreach (var client in new[] { clientA, clientB })
        {
            var page = await (await client.GetAsync("/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-22&limit=1000")).JsonBodyAsync();
            var listed = page.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()).Reverse();
            Assert.True(runIds.SequenceEqual(listed), $"{client.BaseAddress} must list all 200 runs after their 202s, oldest to newest");
        }
        // Compaction folds both processes' segments into the documented manifest, each run once.
        var settings = S3.Settings(Bucket);
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        var catalog = new RecordStoreHarness(store, compactInBackground: false).Catalog;
        await catalog.CompactAsync(ServiceIdentity.Create("acme", "checkout", "api"), new DateOnly(2026, 11, 22), [], default);
        var lines = Encoding.UTF8.GetString(await ReadObjectAsync(ManifestKey)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(runIds, lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("run_id").GetString()));
        var latest = JsonDocument.Parse(await ReadObjectAsync("stricture/v1/org=acme/project=checkout/service=api/latest.json")).RootElement;
        Assert.Equal("run-199", latest.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task A_rebuild_from_the_payloads_alone_writes_exactly_what_ingest_wrote()
    {
        var settings = S3.Settings(Bucket);
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        var harness = new RecordStoreHarness(store, compactInBackground: false);
        await harness.IngestAsync("a", "2026-11-20T10:00:00Z", "abcdef0");
        await harness.IngestAsync("b", "2026-11-21T10:00:00+05:00");
        await harness.IngestAsync("c");
        await harness.IngestAsync("d", "2026-11-19T10:00:00Z", service: "other");
        Assert.Equal(0, (await harness.Reconciler.ReconcileAsync(default)).EntriesAdded); // compacts: folds the segments in
        var incremental = await harness.SnapshotCatalogAsync();
        Assert.Equal(6, incremental.Count); // 4 compacted day manifests and 2 latest pointers

        foreach (var key in await harness.ListDerivedAsync())
        {
            await Client.DeleteObjectAsync(Bucket, key);
        }
        var report = await harness.Reconciler.ReconcileAsync(default);

        Assert.Equal((4, 2), (report.EntriesAdded, report.PointersMoved));
        Assert.Equal(incremental, await harness.SnapshotCatalogAsync());
    }
}
