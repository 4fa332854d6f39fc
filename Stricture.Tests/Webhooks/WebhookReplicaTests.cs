using System.Net;
using Amazon.S3.Model;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Webhooks;

/// <summary>Several ingest processes on one bucket of the real S3 server share one outbox: each run reaches each webhook once.</summary>
public sealed class WebhookReplicaTests : BucketTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_servers_on_one_bucket_deliver_each_run_once()
    {
        using var dataA = new TestDirectory();
        using var dataB = new TestDirectory();
        await using var receiver = WebhookReceiver.OnFreePort();
        var settings = WebhookSetup.Fast().With("alerts", receiver.Url).With(S3.IngestEnvironment(Bucket));
        await using var serverA = await ServiceProcess.StartIngestAsync(dataA.Path, settings);
        await using var serverB = await ServiceProcess.StartIngestAsync(dataB.Path, settings);
        using var clientA = new HttpClient { BaseAddress = serverA.BaseAddress };
        using var clientB = new HttpClient { BaseAddress = serverB.BaseAddress };

        // 1. Four runs, each posted to one server and retried, identically, on the other, while the receiver is down:
        // both servers' dispatchers see every delivery come due, again and again.
        for (var i = 0; i < 4; i++)
        {
            var (first, second) = i % 2 == 0 ? (clientA, clientB) : (clientB, clientA);
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostAsync(WebhookSetup.PostWithDiff($"run-{i}", WebhookSetup.HighDiff()))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await second.PostAsync(WebhookSetup.PostWithDiff($"run-{i}", WebhookSetup.HighDiff()))).StatusCode);
        }
        var enqueued = await ListAsync("stricture/webhooks/v1/outbox/");
        Assert.Equal(4, enqueued.Count(key => key.EndsWith("/delivery.json", StringComparison.Ordinal)));
        Assert.True(await WebhookSetup.WaitUntilAsync(async () => (await ListAsync("stricture/webhooks/v1/outbox/")).Count(k => k.EndsWith(".retry.json", StringComparison.Ordinal)) >= 8, Patience),
            "every delivery must have failed at least twice while the receiver is down");

        // 2. The receiver comes up: both servers race for every due attempt.
        await receiver.StartListeningAsync();
        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count >= 4, Patience), "every run must be delivered");
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten polls of each server

        var perDelivery = receiver.Received.GroupBy(r => r.DeliveryId).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perDelivery.Count == 4 && perDelivery.Values.All(count => count == 1),
            $"each of 4 deliveries must be posted once across both servers; got {string.Join(", ", perDelivery.Select(p => $"{p.Key[..8]}×{p.Value}"))}");
        Assert.Equal(["run-0", "run-1", "run-2", "run-3"],
            receiver.Received.Select(r => r.Json.GetProperty("run").GetProperty("run_id").GetString()).Order(StringComparer.Ordinal));
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token });
            keys.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }
}
