using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Webhooks;

/// <summary>The outbox inside one server: what its metrics report, and a run retried long after its day was settled.</summary>
public sealed class WebhookOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Metrics_report_deliveries_by_outcome_the_backlog_and_the_age_of_the_oldest_pending_delivery()
    {
        await using var ok = await WebhookReceiver.StartAsync();
        await using var gone = await WebhookReceiver.StartAsync();
        gone.Answer(410);
        await using var down = WebhookReceiver.OnFreePort();
        await using var server = IngestServer.Start(InProcess(WebhookSetup.Fast().With("ok", ok.Url).With("gone", gone.Url).With("down", down.Url)));
        var scope = server.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Webhook, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name.StartsWith("stricture.webhook.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => measurements.Enqueue((i.Name, v, Tag(t, "webhook"), Tag(t, "outcome"))));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => measurements.Enqueue((i.Name, v, Tag(t, "webhook"), Tag(t, "outcome"))));
        listener.Start();

        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(WebhookSetup.PostWithDiff("measured", WebhookSetup.HighDiff()))).StatusCode);
        Assert.True(await ok.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "the ok webhook must be delivered");
        Assert.True(await WebhookSetup.WaitUntilAsync(() => Count("stricture.webhook.deliveries", "down", "retry") >= 2 &&
                                                             Count("stricture.webhook.deliveries", "gone", "dead_letter") == 1, Patience),
            "the down webhook must be retrying and the gone one a dead letter");

        Assert.Equal(3, measurements.Where(m => m.Instrument == "stricture.webhook.enqueued").Sum(m => m.Value));
        Assert.Equal(1, Count("stricture.webhook.deliveries", "ok", "delivered"));
        listener.RecordObservableInstruments();
        var backlog = measurements.Last(m => m.Instrument == "stricture.webhook.backlog");
        Assert.True(backlog.Value == 1, $"one delivery (to the receiver that is down) is pending; the backlog says {backlog.Value}");
        var age = measurements.Last(m => m.Instrument == "stricture.webhook.oldest_pending_age");
        Assert.True(age.Value > 0, $"the pending delivery has waited since it was enqueued; the age says {age.Value}");

        int Count(string instrument, string webhook, string outcome) =>
            measurements.Count(m => m.Instrument == instrument && m.Webhook == webhook && m.Outcome == outcome);
    }

    [Fact]
    public async Task A_run_first_enqueued_by_a_retry_after_its_day_was_settled_is_still_delivered()
    {
        using var data = new TestDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero));

        // 1. The run is accepted by a server without webhooks (as when a crash hit between the payload and the outbox).
        await using (var before = IngestServer.Start(time: clock, dataDirectory: data.Path))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await before.Client.PostAsync(WebhookSetup.PostWithDiff("late", WebhookSetup.HighDiff()))).StatusCode);
        }

        // 2. Two hours later, dispatchers have moved past the run's day (2026-12-04).
        clock.Advance(TimeSpan.FromHours(2));
        var store = new FileSystemObjectStore(data.Path);
        await store.CreateIfAbsentAsync("stricture/webhooks/v1/checkpoint.json", """{"from":"2026-12-05"}"""u8.ToArray(), CancellationToken.None);

        // 3. The identical retry enqueues the delivery under the run's day, with a pointer in today's: it is delivered.
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = IngestServer.Start(InProcess(WebhookSetup.Fast().With("alerts", receiver.Url)), time: clock, dataDirectory: data.Path);
        var retry = await server.Client.PostAsync(WebhookSetup.PostWithDiff("late", WebhookSetup.HighDiff()));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Single(WebhookSetup.OutboxFiles(data.Path, "delivery.json"), file => file.Contains("/date=2026-12-04/", StringComparison.Ordinal));
        Assert.Single(WebhookSetup.OutboxFiles(data.Path, ".json"), file => file.Contains("/date=2026-12-05/late=", StringComparison.Ordinal));

        Assert.True(await receiver.WaitUntilAsync(r => r.Accepted.Count == 1, Patience), "a late enqueue must still be delivered");
        Assert.Equal("late", Assert.Single(receiver.Received).Json.GetProperty("run").GetProperty("run_id").GetString());
    }

    /// <summary>Environment-variable names as in-process configuration keys ('__' is ':').</summary>
    private static Dictionary<string, string?> InProcess(Dictionary<string, string> settings) =>
        settings.ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var (key, value) in tags)
        {
            if (key == name)
            {
                return value as string;
            }
        }
        return null;
    }
}
