using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// Reads and writes the outbox (<see cref="DeliveryKeys"/>). A delivery's state is which of its keys
/// exist: attempts are claimed by creating their claim object if absent, so of several processes
/// (replicas on one bucket, the webhooks command beside a server) exactly one sends each attempt,
/// on every driver; the claimant then records the attempt's outcome. Nothing here is overwritten
/// except the checkpoint, which only moves forward.
/// </summary>
internal sealed class DeliveryLedger(IObjectStore store, DeliveryKeys keys)
{
    /// <summary>
    /// How long after a day ends its deliveries may still be enqueued by a fresh post, so the
    /// checkpoint stays on it (enqueues later than half of this also leave a pointer in the current day).
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromHours(1);

    /// <summary>
    /// How many days before today a dispatcher scans when no checkpoint exists yet (the first pass
    /// ever on this store, which then writes one): deliveries enqueued before any dispatcher ran,
    /// say by a function whose schedule was not set up yet, are found if they are younger than this.
    /// </summary>
    public const int FirstScanDays = 30;

    private const int ListPage = 1_000;

    /// <summary>Every delivery listed in <paramref name="day"/>: its own, and those late pointers there lead to.</summary>
    public async Task<List<DeliveryRecord>> ReadDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var parsed = new List<OutboxKey>();
        await foreach (var key in ListAsync(keys.Day(day), cancellationToken))
        {
            if (keys.Parse(key) is { } outboxKey)
            {
                parsed.Add(outboxKey);
            }
        }
        var records = parsed.Where(key => key.Kind != OutboxKeyKind.Late)
            .GroupBy(key => key.DeliveryId)
            .Select(group => DeliveryRecord.From(day, group.Key, group))
            .ToList();
        foreach (var late in parsed.Where(key => key.Kind == OutboxKeyKind.Late))
        {
            if (await ReadAsync(keys.Late(day, late.DeliveryId), OutboxJsonContext.Default.DayPointer, cancellationToken) is { } pointer &&
                DateOnly.TryParse(pointer.Date, System.Globalization.CultureInfo.InvariantCulture, out var enqueuedDay) &&
                await ReadDeliveryAsync(enqueuedDay, late.DeliveryId, cancellationToken) is { } record)
            {
                records.Add(record);
            }
        }
        return records;
    }

    public async Task<DeliveryRecord?> ReadDeliveryAsync(DateOnly day, string id, CancellationToken cancellationToken)
    {
        var parsed = new List<OutboxKey>();
        await foreach (var key in ListAsync(keys.Delivery(day, id), cancellationToken))
        {
            if (keys.Parse(key) is { } outboxKey)
            {
                parsed.Add(outboxKey);
            }
        }
        return parsed.Count == 0 ? null : DeliveryRecord.From(day, id, parsed);
    }

    public Task<WebhookDelivery?> ReadEnqueuedAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        ReadAsync(keys.Enqueued(record.Day, record.Id), OutboxJsonContext.Default.WebhookDelivery, cancellationToken);

    public Task<AttemptClaim?> ReadClaimAsync(DeliveryRecord record, int attempt, CancellationToken cancellationToken) =>
        ReadAsync(keys.Claim(record.Day, record.Id, attempt), OutboxJsonContext.Default.AttemptClaim, cancellationToken);

    public Task<AttemptOutcome?> ReadOutcomeAsync(DeliveryRecord record, int attempt, string outcome, CancellationToken cancellationToken) =>
        ReadAsync(keys.Outcome(record.Day, record.Id, attempt, outcome), OutboxJsonContext.Default.AttemptOutcome, cancellationToken);

    /// <summary>Claims an attempt; false when another process claimed it first (it sends that attempt, not this one).</summary>
    public async Task<bool> TryClaimAsync(DeliveryRecord record, AttemptClaim claim, CancellationToken cancellationToken) =>
        await store.CreateIfAbsentAsync(
            keys.Claim(record.Day, record.Id, claim.Attempt),
            JsonSerializer.SerializeToUtf8Bytes(claim, OutboxJsonContext.Default.AttemptClaim),
            cancellationToken) == CreateOutcome.Created;

    /// <summary>
    /// Records what the claimed attempt came to. A dead letter's marker is written first: a crash
    /// between the two leaves a marker for a delivery that is not dead (listings skip it, and the
    /// attempt is taken over when its lease ends), never a dead letter nobody can list.
    /// </summary>
    public async Task RecordOutcomeAsync(DeliveryRecord record, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Outcome == AttemptOutcomes.Dead)
        {
            await store.CreateIfAbsentAsync(keys.Dead(record.Id),
                JsonSerializer.SerializeToUtf8Bytes(new DayPointer(RecordKeys.FormatDate(record.Day)), OutboxJsonContext.Default.DayPointer),
                cancellationToken);
        }
        await store.CreateIfAbsentAsync(
            keys.Outcome(record.Day, record.Id, outcome.Attempt, outcome.Outcome),
            JsonSerializer.SerializeToUtf8Bytes(outcome, OutboxJsonContext.Default.AttemptOutcome),
            cancellationToken);
    }

    /// <summary>Every delivery that ever became a dead letter (redelivered ones included: check their state).</summary>
    public async IAsyncEnumerable<DeliveryRecord> ListDeadLettersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in ListAsync(keys.DeadPrefix, cancellationToken))
        {
            if (await ReadAsync(key, OutboxJsonContext.Default.DayPointer, cancellationToken) is { } pointer &&
                DateOnly.TryParse(pointer.Date, System.Globalization.CultureInfo.InvariantCulture, out var day) &&
                await ReadDeliveryAsync(day, key[(keys.DeadPrefix.Length + "delivery=".Length)..^".json".Length], cancellationToken) is { } record)
            {
                yield return record;
            }
        }
    }

    public async Task<DateOnly?> ReadCheckpointAsync(CancellationToken cancellationToken) =>
        await ReadAsync(keys.Checkpoint, OutboxJsonContext.Default.OutboxCheckpoint, cancellationToken) is { } checkpoint &&
        DateOnly.TryParse(checkpoint.From, System.Globalization.CultureInfo.InvariantCulture, out var day) ? day : null;

    /// <summary>
    /// Moves the first day to scan forward to <paramref name="day"/>, never back. The caller saw every
    /// delivery before it final, and finality is permanent, so whichever of two racing dispatchers
    /// wins, the checkpoint never skips pending work; a lost race only means rescanning a day.
    /// </summary>
    public Task AdvanceCheckpointAsync(DateOnly day, CancellationToken cancellationToken) =>
        store.UpdateAsync(keys.Checkpoint, current =>
        {
            if (current is { } content &&
                JsonSerializer.Deserialize(content.Span, OutboxJsonContext.Default.OutboxCheckpoint) is { } checkpoint &&
                DateOnly.TryParse(checkpoint.From, System.Globalization.CultureInfo.InvariantCulture, out var from) && from >= day)
            {
                return null;
            }
            return JsonSerializer.SerializeToUtf8Bytes(new OutboxCheckpoint(RecordKeys.FormatDate(day)), OutboxJsonContext.Default.OutboxCheckpoint);
        }, cancellationToken);

    private async Task<T?> ReadAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class =>
        await store.ReadAsync(key, cancellationToken) is { } stored ? JsonSerializer.Deserialize(stored.Content.Span, type) : null;

    private async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.ListAsync(prefix, token, ListPage, cancellationToken);
            foreach (var key in page.Keys)
            {
                yield return key;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}

/// <summary>
/// One delivery's state, from its keys: enqueued or not, the attempts claimed and what each came to.
/// Final once an attempt delivered it or its last attempt made it a dead letter.
/// </summary>
internal sealed record DeliveryRecord(DateOnly Day, string Id, bool Enqueued, int LastAttempt, IReadOnlyDictionary<int, string> Outcomes)
{
    public static DeliveryRecord From(DateOnly day, string id, IEnumerable<OutboxKey> keys)
    {
        var list = keys.ToList();
        var outcomes = list.Where(key => key.Kind == OutboxKeyKind.Outcome)
            .GroupBy(key => key.Attempt)
            .ToDictionary(group => group.Key, group => group.Select(key => key.Outcome!).Order(StringComparer.Ordinal).First());
        var lastAttempt = list.Where(key => key.Kind is OutboxKeyKind.Claim or OutboxKeyKind.Outcome).Select(key => key.Attempt).DefaultIfEmpty(0).Max();
        return new DeliveryRecord(day, id, list.Any(key => key.Kind == OutboxKeyKind.Enqueued), lastAttempt, outcomes);
    }

    public bool Delivered => Outcomes.Values.Contains(AttemptOutcomes.Delivered);

    /// <summary>What the last attempt came to; null before the first attempt or while the last one is in flight (or its claimant died).</summary>
    public string? LastOutcome => Outcomes.GetValueOrDefault(LastAttempt);

    public bool IsDeadLetter => !Delivered && LastOutcome == AttemptOutcomes.Dead;

    public bool IsFinal => Delivered || IsDeadLetter;
}
