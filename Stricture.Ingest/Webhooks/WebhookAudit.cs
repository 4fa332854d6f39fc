using Stricture.Ingest.Audit;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Webhooks;

/// <summary>Audit events of the outbox: each enqueue and each final outcome (delivered, dead letter). The secret never reaches them.</summary>
internal sealed class WebhookAudit(AuditLog audit, TimeProvider time)
{
    /// <summary>Who the events are attributed to: the server itself, acting on an accepted run.</summary>
    public const string Principal = "stricture-webhooks";

    public void Enqueued(WebhookDelivery delivery) => Write(delivery, "webhook.enqueue", "enqueued", 0, $"drift reaches {delivery.Drift.MinSeverity}");

    public void Final(WebhookDelivery delivery, AttemptOutcome outcome) =>
        Write(delivery, "webhook.delivery", outcome.Outcome == AttemptOutcomes.Delivered ? "delivered" : "dead-letter", outcome.Status, outcome.Reason);

    private void Write(WebhookDelivery delivery, string kind, string outcome, int status, string reason) =>
        audit.Write(new AuditEvent(
            UtcTimestamp.Format(time.GetUtcNow()), kind, outcome, status, reason, Principal, RemoteAddress: null,
            delivery.Organization, delivery.Project, delivery.Service, delivery.RunId, Scope: null, ScopeDecision: null,
            delivery.Location, RequestBytes: null, StoredBytes: null, Sha256: null, TraceId: null)
        {
            Webhook = delivery.Webhook,
            DeliveryId = delivery.DeliveryId,
        });
}
