using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Drift;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// A delivery as enqueued: everything the payload is rendered from, so a retry days later sends
/// the same body. Holds no secret: the signature is computed when the body is sent. Impact and gate
/// are the run's recorded assessment (deliveries enqueued before they existed lack them).
/// </summary>
public sealed record WebhookDelivery(
    string DeliveryId,
    string Webhook,
    string Organization,
    string Project,
    string Service,
    string RunId,
    string Location,
    string ReceivedAt,
    string? GeneratedAt,
    string? CommitSha,
    string EnqueuedAt,
    DeliveryDrift Drift,
    RunImpact? Impact = null,
    GateDecision? Gate = null);

/// <summary>The run's drift as the webhook shows it: the counts, and the first changes at or above its threshold.</summary>
public sealed record DeliveryDrift(
    int Total,
    int High,
    int Medium,
    int Low,
    int Info,
    IReadOnlyDictionary<string, int> Unrecognized,
    string MinSeverity,
    IReadOnlyList<DriftChange> FirstChanges)
{
    public static DeliveryDrift From(DriftSummary drift, string minSeverity) => new(
        drift.Total, drift.High, drift.Medium, drift.Low, drift.Info, drift.Unrecognized, minSeverity,
        [.. drift.FirstChanges.Where(change => DriftSeverity.Rank(change.Severity) >= DriftSeverity.Rank(minSeverity))]);
}

/// <summary>One process's claim of one attempt: it alone sends that attempt, and may be taken over after <see cref="LeaseUntil"/>.</summary>
public sealed record AttemptClaim(int Attempt, string Claimant, string ClaimedAt, string LeaseUntil, bool Redelivery);

/// <summary>What one attempt came to; <see cref="NextAttemptAt"/> is set when it is retried.</summary>
public sealed record AttemptOutcome(int Attempt, string Outcome, int Status, string Reason, string At, string? NextAttemptAt);

/// <summary>Points at a delivery's day: a late enqueue's pointer, a dead letter's marker.</summary>
public sealed record DayPointer(string Date);

/// <summary>The first day that may still hold a delivery to make; days before it are all final.</summary>
public sealed record OutboxCheckpoint(string From);

public static class AttemptOutcomes
{
    public const string Delivered = "delivered";
    public const string Retry = "retry";
    public const string Dead = "dead";
}

[JsonSerializable(typeof(WebhookDelivery))]
[JsonSerializable(typeof(AttemptClaim))]
[JsonSerializable(typeof(AttemptOutcome))]
[JsonSerializable(typeof(DayPointer))]
[JsonSerializable(typeof(OutboxCheckpoint))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
