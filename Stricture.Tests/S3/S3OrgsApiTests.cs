using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Catalog;
using Stricture.Storage.Keys;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Discovery;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>The services listing and the drift feed on the s3 driver, against the real S3 server, through real HTTP.</summary>
public sealed class S3OrgsApiTests : BucketTest
{
    [Fact]
    public async Task The_services_listing_and_the_drift_feed_answer_the_same_on_s3_and_after_a_rebuild_from_payloads()
    {
        // 1. Post through one server on the bucket and check the answers.
        Dictionary<string, string> before;
        await using (var server = IngestServer.Start(S3.IngestSettings(Bucket), time: new FakeTimeProvider(OrgScenario.Now)))
        {
            await OrgScenario.PostAllAsync(server.Client);
            await OrgScenario.AssertAnswersAsync(server.Client);
            before = await OrgScenario.AnswersAsync(server.Client);
        }

        // 2. Delete every derived object in the bucket and rebuild from the payloads alone.
        var settings = S3.Settings(Bucket);
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        var derived = await OrgScenario.DerivedKeysAsync(store);
        Assert.Contains(derived, key => key.Contains("/drift/", StringComparison.Ordinal));
        foreach (var key in derived)
        {
            await Client.DeleteObjectAsync(Bucket, key);
        }
        var keys = new RecordKeys("stricture");
        var catalog = new RunCatalog(store, keys, new StorageTelemetry(new TestMeterFactory()), compactInBackground: false);
        await new CatalogReconciler(store, keys, catalog, NullLogger<CatalogReconciler>.Instance).ReconcileAsync(default);

        // 3. A new server on the rebuilt bucket answers exactly as before.
        await using (var server = IngestServer.Start(S3.IngestSettings(Bucket), time: new FakeTimeProvider(OrgScenario.Now)))
        {
            var after = await OrgScenario.AnswersAsync(server.Client);
            foreach (var query in OrgScenario.Queries)
            {
                Assert.True(before[query] == after[query], $"{query} must answer the same after the rebuild:\n{before[query]}\n{after[query]}");
            }
        }
    }

    [Fact]
    public async Task Two_servers_on_one_bucket_posting_for_sixty_services_at_once_lose_no_service_and_no_drifted_run()
    {
        var clock = new FakeTimeProvider(OrgScenario.Now);
        await using var serverA = IngestServer.Start(S3.IngestSettings(Bucket), time: clock);
        await using var serverB = IngestServer.Start(S3.IngestSettings(Bucket), time: clock);
        var posts = Enumerable.Range(0, 60)
            .Select(i => OrgScenario.Post("acme", $"p{i % 3}", $"svc-{i:D2}", $"run-{i:D2}", $"2026-11-22T10:{i:D2}:00Z", i % 2 == 0 ? "diff-high.json" : null))
            .ToList();

        // Sixteen posts in flight at a time, alternating between the two servers.
        using var inFlight = new SemaphoreSlim(16);
        var statuses = await Task.WhenAll(posts.Select(async (post, i) =>
        {
            await inFlight.WaitAsync();
            try
            {
                return (await (i % 2 == 0 ? serverA : serverB).Client.PostAsync(post)).StatusCode;
            }
            finally
            {
                inFlight.Release();
            }
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
        foreach (var server in new[] { serverA, serverB })
        {
            var services = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/services?limit=1000");
            Assert.True(services.GetProperty("services").GetArrayLength() == 60, $"{server.BaseAddress} must list all 60 services after their 202s");
            var feed = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/drift?limit=500");
            var expected = Enumerable.Range(0, 60).Where(i => i % 2 == 0).Select(i => $"run-{i:D2}").Reverse().ToList();
            Assert.True(expected.SequenceEqual(OrgScenario.RunIds(feed)), $"{server.BaseAddress} must list the 30 drifted runs newest first");
        }
    }
}
