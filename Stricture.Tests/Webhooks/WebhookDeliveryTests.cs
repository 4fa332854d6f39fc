using System.Net;
using System.Text;
using System.Text.Json;
using Stricture.Ingest.Webhooks;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Webhooks;

/// <summary>
/// Webhooks end to end on the filesystem driver: a real server process posts to a real receiver on
/// loopback, through the outbox on disk, and is killed, restarted and raced by the webhooks command.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_run_whose_drift_reaches_the_threshold_is_posted_once_signed_with_its_drift_and_a_link()
    {
        using var data = new TestDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, WebhookSetup.Fast().With("alerts", receiver.Url));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        // 1. A post whose diff has high-severity changes is accepted, and the receiver gets it.
        var accepted = await client.PostAsync(WebhookSetup.PostWithDiff("run-high", WebhookSetup.HighDiff()));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var answer = await accepted.JsonBodyAsync();
        var location = answer.GetProperty("location").GetString()!;
        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the receiver must get the run's delivery");

        // 2. What arrived: the event, a stable delivery id, a valid signature over the exact body, the run, its drift, a link.
        var delivery = Assert.Single(receiver.Received);
        Assert.Equal("run.drift", delivery.Event);
        Assert.Equal(DeliveryKeys.DeliveryId("alerts", location), delivery.DeliveryId);
        Assert.StartsWith("application/json", delivery.ContentType);
        Assert.True(WebhookSignature.Verify(delivery.Body, WebhookSetup.Secret, delivery.Signature),
            $"X-Stricture-Signature-256 must be the HMAC-SHA256 of the body with the secret; got {delivery.Signature}");
        Assert.Equal(
            "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSetup.Secret), delivery.Body)),
            delivery.Signature);
        var body = delivery.Json;
        Assert.Equal("run.drift", body.GetProperty("event").GetString());
        Assert.Equal("run-high", body.GetProperty("run").GetProperty("run_id").GetString());
        Assert.Equal("acme", body.GetProperty("run").GetProperty("organization").GetString());
        Assert.Equal(location, body.GetProperty("run").GetProperty("location").GetString());
        var drift = body.GetProperty("drift");
        Assert.Equal((7, 3, 2, 1, 1), (drift.GetProperty("total").GetInt32(), drift.GetProperty("high").GetInt32(),
            drift.GetProperty("medium").GetInt32(), drift.GetProperty("low").GetInt32(), drift.GetProperty("info").GetInt32()));
        var changes = drift.GetProperty("first_changes").EnumerateArray().ToList();
        Assert.True(changes.Count == 3 && changes.All(c => c.GetProperty("severity").GetString() == "high"),
            "the first changes are those at or above the webhook's threshold (high): the fixture has 3");
        Assert.Equal("source_system changed from BillingAPI to LedgerAPI", changes[0].GetProperty("message").GetString());
        Assert.Equal($"{WebhookSetup.PublicUrl}/v1/runs/acme/checkout/api/run-high", body.GetProperty("link").GetString());
        // The run's blast radius and gate decision, as the 202 gave them to the poster.
        Assert.Equal(answer.GetProperty("impact").GetProperty("scope").GetString(), body.GetProperty("impact").GetProperty("scope").GetString());
        Assert.Equal(answer.GetProperty("gate").GetProperty("decision").GetString(), body.GetProperty("gate").GetProperty("decision").GetString());
        Assert.Equal(answer.GetProperty("gate").GetProperty("reasons").GetArrayLength(), body.GetProperty("gate").GetProperty("reasons").GetArrayLength());
        Assert.DoesNotContain(WebhookSetup.Secret, Encoding.UTF8.GetString(delivery.Body));

        // 3. An identical retry of the post is accepted and enqueues nothing new: one delivery object, one POST.
        var retry = await client.PostAsync(WebhookSetup.PostWithDiff("run-high", WebhookSetup.HighDiff()));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.False((await retry.JsonBodyAsync()).GetProperty("created").GetBoolean(), "the retry must find the stored run");
        Assert.Single(WebhookSetup.OutboxFiles(data.Path, "delivery.json"));
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten polls: a second delivery would have been sent by now
        Assert.True(receiver.Received.Count == 1, $"an identical retry must not deliver again; the receiver got {receiver.Received.Count} requests");

        // 4. The audit log has the enqueue and the final outcome, with the delivery id, and never the secret.
        var audit = await File.ReadAllLinesAsync(Path.Combine(data.Path, "audit", "audit.jsonl"));
        var webhookEvents = audit.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString()!.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        Assert.Contains(webhookEvents, e => e.GetProperty("event").GetString() == "webhook.enqueue" &&
                                            e.GetProperty("delivery_id").GetString() == delivery.DeliveryId && e.GetProperty("webhook").GetString() == "alerts");
        Assert.Contains(webhookEvents, e => e.GetProperty("event").GetString() == "webhook.delivery" &&
                                            e.GetProperty("outcome").GetString() == "delivered" && e.GetProperty("status").GetInt32() == 200);
        Assert.Equal(2, webhookEvents.Count);
        Assert.DoesNotContain(audit, line => line.Contains(WebhookSetup.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_below_a_webhooks_threshold_is_not_posted_to_it_but_reaches_one_with_a_lower_threshold()
    {
        using var data = new TestDirectory();
        await using var pager = await WebhookReceiver.StartAsync();
        await using var digest = await WebhookReceiver.StartAsync();
        await using var server = await ServiceProcess.StartIngestAsync(data.Path,
            WebhookSetup.Fast().With("pager", pager.Url).With("digest", digest.Url, minSeverity: "medium"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var medium = await client.PostAsync(WebhookSetup.PostWithDiff("run-medium", WebhookSetup.MediumDiff()));
        Assert.Equal(HttpStatusCode.Accepted, medium.StatusCode);
        var location = (await medium.JsonBodyAsync()).GetProperty("location").GetString()!;
        Assert.True(await digest.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the medium threshold webhook must get the medium run");

        // A later high run reaches the pager; the medium one never did (not even enqueued for it).
        await client.PostAsync(WebhookSetup.PostWithDiff("run-high", WebhookSetup.HighDiff()));
        Assert.True(await pager.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the high threshold webhook must get the high run");
        Assert.All(pager.Received, r => Assert.Equal("run-high", r.Json.GetProperty("run").GetProperty("run_id").GetString()));
        Assert.DoesNotContain(WebhookSetup.OutboxFiles(data.Path, "delivery.json"),
            file => file.Contains(DeliveryKeys.DeliveryId("pager", location), StringComparison.Ordinal));

        // A run without a diff reaches nobody.
        await client.PostAsync(Posts.Valid(runId: "run-no-diff"));
        Assert.Equal(3, WebhookSetup.OutboxFiles(data.Path, "delivery.json").Count);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_delivery_once_it_is_up()
    {
        using var data = new TestDirectory();
        await using var receiver = WebhookReceiver.OnFreePort(); // nothing listens yet: connections are refused
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, WebhookSetup.Fast().With("alerts", receiver.Url));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await client.PostAsync(WebhookSetup.PostWithDiff("run-while-down", WebhookSetup.HighDiff()));
        Assert.True(await WebhookSetup.WaitUntilAsync(() => WebhookSetup.OutboxFiles(data.Path, ".retry.json").Count >= 2, Patience),
            "failed attempts must be recorded for retry while the receiver is down");

        await receiver.StartListeningAsync();

        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the delivery must arrive once the receiver is up");
        Assert.Equal("run-while-down", Assert.Single(receiver.Received).Json.GetProperty("run").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task A_410_is_final_and_becomes_a_dead_letter_that_the_command_lists_and_redelivers()
    {
        using var data = new TestDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(410);
        var settings = WebhookSetup.Fast().With("alerts", receiver.Url);
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, settings);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        // 1. The receiver answers 410 Gone: no retry, a dead letter.
        var accepted = await client.PostAsync(WebhookSetup.PostWithDiff("run-gone", WebhookSetup.HighDiff()));
        var id = DeliveryKeys.DeliveryId("alerts", (await accepted.JsonBodyAsync()).GetProperty("location").GetString()!);
        Assert.True(await WebhookSetup.WaitUntilAsync(() => WebhookSetup.OutboxFiles(data.Path, ".dead.json").Count == 1, Patience),
            "a 410 must make the delivery a dead letter");
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten polls and more than the retry delays
        Assert.True(receiver.Received.Count == 1, $"a 410 is final: one request, got {receiver.Received.Count}");

        // 2. The command lists it, beside the running server.
        var (listed, listing) = await ServiceProcess.RunCommandAsync(data.Path, settings, "webhooks", "dead-letters");
        Assert.True(listed == 0, listing);
        Assert.Contains(id, listing);
        Assert.Contains("webhook=alerts run=acme/checkout/api/run-gone", listing);
        Assert.Contains("410", listing);
        Assert.Contains("1 dead letters.", listing);

        // 3. The receiver is fixed; the command redelivers: one more POST, with the same delivery id, and the dead letter is gone.
        receiver.Answer(200);
        var (redelivered, output) = await ServiceProcess.RunCommandAsync(data.Path, settings, "webhooks", "redeliver", id);
        Assert.True(redelivered == 0, output);
        Assert.Contains($"{id} delivered", output);
        var accepted200 = Assert.Single(receiver.Accepted);
        Assert.Equal(id, accepted200.DeliveryId);
        Assert.True(WebhookSignature.Verify(accepted200.Body, WebhookSetup.Secret, accepted200.Signature), "a redelivery is signed too");
        var (_, after) = await ServiceProcess.RunCommandAsync(data.Path, settings, "webhooks", "dead-letters");
        Assert.Contains("0 dead letters.", after);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(receiver.Received.Count == 2, $"the server must not deliver a redelivered dead letter again; got {receiver.Received.Count} requests");

        // 4. An unknown id is a usage error.
        var (unknown, message) = await ServiceProcess.RunCommandAsync(data.Path, settings, "webhooks", "redeliver", new string('0', 32));
        Assert.True(unknown == 1, message);
        Assert.Contains("no dead letter has the delivery id", message);
    }

    [Fact]
    public async Task The_slack_format_posts_the_counts_the_first_changes_and_a_link()
    {
        using var data = new TestDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, WebhookSetup.Fast().With("chat", receiver.Url, format: "slack"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await client.PostAsync(WebhookSetup.PostWithDiff("run-slack", WebhookSetup.HighDiff()));

        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the Slack webhook must get the run");
        var message = Assert.Single(receiver.Received).Json;
        Assert.Contains("high 3 · medium 2 · low 1 · info 1 · total 7", message.GetProperty("text").GetString());
        var blocks = string.Join("\n", message.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("text").GetProperty("text").GetString()));
        Assert.Contains("`response_order_total` source_system_changed: source_system changed from BillingAPI to LedgerAPI", blocks);
        Assert.Contains($"<{WebhookSetup.PublicUrl}/v1/runs/acme/checkout/api/run-slack|Open the run>", blocks);
    }

    [Fact]
    public async Task A_delivery_in_flight_when_the_server_is_killed_is_delivered_after_the_restart()
    {
        using var data = new TestDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookSetup.Fast().With("alerts", receiver.Url);

        // 1. The receiver holds the POST open; the server is SIGKILLed while it waits for the answer.
        receiver.Hold();
        var first = await ServiceProcess.StartIngestAsync(data.Path, settings);
        using (var client = new HttpClient { BaseAddress = first.BaseAddress })
        {
            var accepted = await client.PostAsync(WebhookSetup.PostWithDiff("run-crash", WebhookSetup.HighDiff()));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        Assert.True(await receiver.WaitUntilAsync(r => r.Received.Count == 1, Patience), "the first attempt must reach the receiver");
        await first.KillAsync();
        await first.DisposeAsync();

        // 2. The receiver answers again; a new server on the same data directory takes the attempt over once its lease ends.
        receiver.Release();
        receiver.Answer(200);
        await using var second = await ServiceProcess.StartIngestAsync(data.Path, settings);

        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the delivery must be made after the restart");
        Assert.True(receiver.Received.Select(r => r.DeliveryId).Distinct().Count() == 1,
            "the attempt after the crash is the same delivery, with the same id, so the receiver can dedupe");
        Assert.True(receiver.Received.Count == 2, $"at least once across the crash, and no more: got {receiver.Received.Count} requests");
    }

    [Fact]
    public async Task The_server_and_webhooks_commands_racing_on_one_data_directory_deliver_each_run_once()
    {
        using var data = new TestDirectory();
        await using var receiver = WebhookReceiver.OnFreePort();
        var settings = WebhookSetup.Fast().With("alerts", receiver.Url);
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, settings);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        // 1. Five runs are enqueued while the receiver is down, so all of them wait for retries.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(WebhookSetup.PostWithDiff($"run-{i}", WebhookSetup.HighDiff()))).StatusCode);
        }
        Assert.True(await WebhookSetup.WaitUntilAsync(() => WebhookSetup.OutboxFiles(data.Path, ".retry.json").Count >= 5, Patience),
            "every delivery must have failed once while the receiver is down");

        // 2. The receiver comes up while three 'webhooks deliver' processes race the server for the due attempts.
        await receiver.StartListeningAsync();
        var commands = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServiceProcess.RunCommandAsync(data.Path, settings, "webhooks", "deliver")));
        Assert.All(commands, command => Assert.True(command.ExitCode == 0, command.Output));

        // 3. Every run is delivered, each exactly once.
        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count >= 5, Patience), "every run must be delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var perDelivery = receiver.Received.GroupBy(r => r.DeliveryId).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perDelivery.Count == 5 && perDelivery.Values.All(count => count == 1),
            $"each of 5 deliveries must be posted once; got {string.Join(", ", perDelivery.Select(p => $"{p.Key[..8]}×{p.Value}"))}");
    }
}
