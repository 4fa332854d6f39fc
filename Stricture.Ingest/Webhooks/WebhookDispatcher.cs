using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// Makes the deliveries that are due, one pass at a time: the dispatching server runs a pass on
/// every poll and every enqueue of its own, the webhooks command runs one and exits.
/// <para>
/// A pass scans the outbox days from the checkpoint to today (a bounded window: the checkpoint
/// moves past a day once all of its deliveries are final), claims the next attempt of each due
/// delivery (not yet tried; retry time reached; or claimed by a process whose lease ran out, which
/// crashed), posts it, and records the outcome. The claim is a create-if-absent, so with several
/// dispatchers on one store each attempt is sent once; only a claimant that dies mid-attempt gets
/// its attempt sent again, after its lease: at least once across a crash.
/// </para>
/// </summary>
internal sealed partial class WebhookDispatcher(
    DeliveryLedger ledger, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider time,
    WebhookMetrics metrics, WebhookAudit audit, ILogger<WebhookDispatcher> logger)
{
    /// <summary>How many deliveries one process posts at once.</summary>
    public const int Parallelism = 8;

    /// <summary>Past this many, the in-memory memo of final deliveries is dropped and rebuilt from the store.</summary>
    private const int MaxRemembered = 100_000;

    /// <summary>Who claims attempts: unique per process, so a claim says which process holds it.</summary>
    private readonly string _claimant = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly ConcurrentDictionary<string, bool> _final = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebhookDelivery> _enqueued = new(StringComparer.Ordinal);
    private readonly RetrySchedule _schedule = new(options.Value, Random.Shared);

    /// <summary>One pass; returns when every attempt it started has its outcome recorded.</summary>
    public async Task<DispatchReport> RunPassAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = await ledger.ReadCheckpointAsync(cancellationToken) ?? today.AddDays(-DeliveryLedger.FirstScanDays);

        // By delivery id: a delivery enqueued late is listed in its own day and, through its pointer, in a later one.
        var pendingById = new Dictionary<string, (DateOnly ListedIn, DeliveryRecord Record)>(StringComparer.Ordinal);
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            foreach (var record in await ledger.ReadDayAsync(day, cancellationToken))
            {
                if (record.Enqueued && !_final.ContainsKey(record.Id))
                {
                    if (record.IsFinal)
                    {
                        Remember(record.Id);
                    }
                    else
                    {
                        pendingById.TryAdd(record.Id, (day, record));
                    }
                }
            }
        }
        var pending = pendingById.Values.ToList();

        var due = new ConcurrentBag<(DeliveryRecord Record, WebhookDelivery Delivery)>();
        DateTimeOffset? oldest = null;
        foreach (var (_, record) in pending)
        {
            if (await ReadEnqueuedAsync(record, cancellationToken) is not { } delivery)
            {
                continue;
            }
            var enqueuedAt = Timestamp(delivery.EnqueuedAt);
            oldest = oldest is null || enqueuedAt < oldest ? enqueuedAt : oldest;
            if (await IsDueAsync(record, now, cancellationToken))
            {
                due.Add((record, delivery));
            }
        }
        metrics.RecordBacklog(pending.Count, oldest);

        var outcomes = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                if (await AttemptAsync(item.Record, item.Delivery, redelivery: false, ct) is { } outcome)
                {
                    outcomes.Add(outcome.Outcome);
                }
            });

        // Days before the first one with pending work are done; a day that has just ended may still receive fresh enqueues.
        var settled = DateOnly.FromDateTime((now - DeliveryLedger.SettleTime).UtcDateTime);
        var firstPending = pending.Count == 0 ? settled : pending.Min(item => item.ListedIn);
        var next = firstPending < settled ? firstPending : settled;
        if (next > from)
        {
            await ledger.AdvanceCheckpointAsync(next, cancellationToken);
        }
        return new DispatchReport(pending.Count, due.Count,
            outcomes.Count(o => o == AttemptOutcomes.Delivered), outcomes.Count(o => o == AttemptOutcomes.Retry), outcomes.Count(o => o == AttemptOutcomes.Dead));
    }

    /// <summary>
    /// Claims and makes the next attempt of a delivery; null when another process claimed it first.
    /// A redelivery (of a dead letter, by the command) is a single attempt: it ends delivered or dead again.
    /// </summary>
    public async Task<AttemptOutcome?> AttemptAsync(DeliveryRecord record, WebhookDelivery delivery, bool redelivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempt = record.LastAttempt + 1;
        var claim = new AttemptClaim(attempt, _claimant, UtcTimestamp.Format(now), UtcTimestamp.Format(now + options.Value.Lease), redelivery);
        if (!await ledger.TryClaimAsync(record, claim, cancellationToken))
        {
            return null;
        }
        var result = options.Value.Find(delivery.Webhook) is { } webhook
            ? await sender.SendAsync(webhook, delivery, cancellationToken)
            : new SendResult(SendVerdict.Refused, 0, $"the webhook '{delivery.Webhook}' is no longer configured");
        var outcome = _schedule.Decide(result, attempt, Timestamp(delivery.EnqueuedAt), time.GetUtcNow(), redelivery);
        await ledger.RecordOutcomeAsync(record, outcome, cancellationToken);

        metrics.RecordAttempt(delivery.Webhook, outcome.Outcome);
        if (outcome.Outcome == AttemptOutcomes.Retry)
        {
            LogRetrying(logger, delivery.Webhook, delivery.DeliveryId, attempt, outcome.Reason, outcome.NextAttemptAt!);
        }
        else
        {
            Remember(record.Id);
            audit.Final(delivery, outcome);
            if (outcome.Outcome == AttemptOutcomes.Dead)
            {
                LogDeadLetter(logger, delivery.Webhook, delivery.DeliveryId, attempt, outcome.Reason);
            }
        }
        return outcome;
    }

    public async Task<WebhookDelivery?> ReadEnqueuedAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        if (_enqueued.TryGetValue(record.Id, out var cached))
        {
            return cached;
        }
        if (await ledger.ReadEnqueuedAsync(record, cancellationToken) is not { } delivery)
        {
            return null;
        }
        if (_enqueued.Count >= MaxRemembered)
        {
            _enqueued.Clear();
        }
        return _enqueued[record.Id] = delivery;
    }

    private async Task<bool> IsDueAsync(DeliveryRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (record.LastAttempt == 0)
        {
            return true;
        }
        if (record.LastOutcome == AttemptOutcomes.Retry)
        {
            var outcome = await ledger.ReadOutcomeAsync(record, record.LastAttempt, AttemptOutcomes.Retry, cancellationToken);
            return outcome?.NextAttemptAt is not { } next || Timestamp(next) <= now;
        }
        // Claimed, with no outcome: in flight, unless its claimant's lease has run out (it died).
        var claim = await ledger.ReadClaimAsync(record, record.LastAttempt, cancellationToken);
        return claim is null || Timestamp(claim.LeaseUntil) <= now;
    }

    private void Remember(string id)
    {
        if (_final.Count >= MaxRemembered)
        {
            _final.Clear();
        }
        _final[id] = true;
        _enqueued.TryRemove(id, out _);
    }

    private static DateTimeOffset Timestamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Webhook} delivery {DeliveryId} attempt {Attempt} failed ({Reason}); retrying at {NextAttemptAt}")]
    private static partial void LogRetrying(ILogger logger, string webhook, string deliveryId, int attempt, string reason, string nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Webhook} delivery {DeliveryId} is a dead letter after attempt {Attempt}: {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, string webhook, string deliveryId, int attempt, string reason);
}

/// <summary>What one pass saw and did.</summary>
internal sealed record DispatchReport(int Pending, int Due, int Delivered, int Retried, int DeadLettered);
