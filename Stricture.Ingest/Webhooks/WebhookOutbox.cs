using System.Text.Json;
using Microsoft.Extensions.Options;
using Stricture.Storage.Drift;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// Enqueues webhook deliveries before a post is acknowledged (the record store's
/// <see cref="IAcceptedRunHook"/>): for each webhook the run's drift reaches, one delivery object,
/// created if absent at a key fixed by the run and the webhook. An identical retry finds it and
/// enqueues nothing; a crash after the payload and before this leaves the retry to enqueue it.
/// The work per post is one create per matching webhook, whatever the outbox holds.
/// <para>
/// A retry that arrives long after the run's claim (<see cref="LateAfter"/>) also leaves a pointer
/// in today's outbox day, since dispatchers may have moved past the run's day
/// (<see cref="DeliveryLedger.AdvanceCheckpointAsync"/>); a duplicate pointer is harmless, as
/// attempts are claimed per delivery.
/// </para>
/// </summary>
internal sealed class WebhookOutbox(
    IObjectStore store, DeliveryKeys keys, IOptions<WebhookOptions> options, TimeProvider time,
    WebhookMetrics metrics, WebhookAudit audit, DispatchSignal signal) : IAcceptedRunHook
{
    /// <summary>Half the time a dispatcher keeps scanning a day after it ends (<see cref="DeliveryLedger.SettleTime"/>).</summary>
    public static readonly TimeSpan LateAfter = DeliveryLedger.SettleTime / 2;

    public async Task OnAcceptedAsync(AcceptedRun run, CancellationToken cancellationToken)
    {
        var webhooks = options.Value.Webhooks;
        if (webhooks.Count == 0 || run.Drift is not { } drift)
        {
            return;
        }
        var service = run.Run.Service;
        var wanted = webhooks.Where(webhook => webhook.Wants(service.Organization, service.Project, drift)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }
        var receivedAt = DateTimeOffset.Parse(run.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        await Task.WhenAll(wanted.Select(webhook => EnqueueAsync(webhook, run, drift, receivedAt, now, cancellationToken)));
        signal.Notify();
    }

    private async Task EnqueueAsync(
        WebhookEndpointOptions webhook, AcceptedRun run, DriftSummary drift, DateTimeOffset receivedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = DeliveryKeys.DeliveryId(webhook.Name, run.Location);
        var day = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        var service = run.Run.Service;
        var delivery = new WebhookDelivery(
            id, webhook.Name, service.Organization, service.Project, service.Service, run.Run.RunId, run.Location, run.ReceivedAt,
            run.Submission.GeneratedAtText, run.Submission.CommitSha, UtcTimestamp.Format(now), DeliveryDrift.From(drift, webhook.MinSeverity),
            run.Assessment?.Impact, run.Assessment?.Gate);
        var content = JsonSerializer.SerializeToUtf8Bytes(delivery, OutboxJsonContext.Default.WebhookDelivery);
        if (await store.CreateIfAbsentAsync(keys.Enqueued(day, id), content, cancellationToken) == CreateOutcome.Created)
        {
            metrics.RecordEnqueued(webhook.Name);
            audit.Enqueued(delivery);
        }
        if (now - receivedAt > LateAfter)
        {
            var pointer = JsonSerializer.SerializeToUtf8Bytes(new DayPointer(RecordKeys.FormatDate(day)), OutboxJsonContext.Default.DayPointer);
            await store.CreateIfAbsentAsync(keys.Late(DateOnly.FromDateTime(now.UtcDateTime), id), pointer, cancellationToken);
        }
    }
}
