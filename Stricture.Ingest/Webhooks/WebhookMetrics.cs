using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stricture.Ingest.Telemetry;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// Webhook instruments on the ingest meter ("Stricture.Ingest"). Backlog and the oldest pending
/// delivery's age are what the last scan of the outbox saw in this process (a process that does
/// not dispatch reports none).
/// </summary>
internal sealed class WebhookMetrics
{
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _deliveries;
    private readonly TimeProvider _time;
    private (int Pending, DateTimeOffset? Oldest)? _backlog;

    public WebhookMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(IngestMetrics.Name);
        _enqueued = meter.CreateCounter<long>("stricture.webhook.enqueued", unit: "{delivery}",
            description: "Webhook deliveries recorded in the outbox, by webhook.");
        _deliveries = meter.CreateCounter<long>("stricture.webhook.deliveries", unit: "{attempt}",
            description: "Webhook delivery attempts by webhook and outcome (delivered, retry, dead_letter).");
        meter.CreateObservableGauge("stricture.webhook.backlog", () => Backlog(), unit: "{delivery}",
            description: "Deliveries not yet delivered nor dead letters, as of the last outbox scan.");
        meter.CreateObservableGauge("stricture.webhook.oldest_pending_age", () => OldestPendingAge(), unit: "s",
            description: "How long the oldest pending delivery has waited since it was enqueued, as of the last outbox scan.");
    }

    public void RecordEnqueued(string webhook) => _enqueued.Add(1, new KeyValuePair<string, object?>("webhook", webhook));

    public void RecordAttempt(string webhook, string outcome) =>
        _deliveries.Add(1, new TagList { { "webhook", webhook }, { "outcome", outcome == AttemptOutcomes.Dead ? "dead_letter" : outcome } });

    public void RecordBacklog(int pending, DateTimeOffset? oldestEnqueuedAt) => _backlog = (pending, oldestEnqueuedAt);

    private IEnumerable<Measurement<long>> Backlog() =>
        _backlog is { } backlog ? [new Measurement<long>(backlog.Pending)] : [];

    private IEnumerable<Measurement<double>> OldestPendingAge() =>
        _backlog is { } backlog ? [new Measurement<double>(backlog.Oldest is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0)] : [];
}
