using Stricture.Storage.Time;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// When a failed attempt is tried again: exponential backoff from the first delay, doubling up to
/// the maximum, each delay drawn uniformly from its upper half (jitter, so receivers coming back
/// up are not hit by every delivery at once), never sooner than a Retry-After the receiver asked
/// for. Past the retry window (24 h by default, counted from the enqueue) a failure is final.
/// </summary>
internal sealed class RetrySchedule(WebhookOptions options, Random random)
{
    /// <summary>The delay after failed attempt <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
        return retryAfter is { } asked && asked > delay ? (asked < options.MaxRetryDelay ? asked : options.MaxRetryDelay) : delay;
    }

    /// <summary>The outcome of claimed attempt <paramref name="attempt"/>; a redelivery by the command is one attempt, so it never schedules a retry.</summary>
    public AttemptOutcome Decide(SendResult result, int attempt, DateTimeOffset enqueuedAt, DateTimeOffset now, bool redelivery)
    {
        var at = UtcTimestamp.Format(now);
        switch (result.Verdict)
        {
            case SendVerdict.Delivered:
                return new AttemptOutcome(attempt, AttemptOutcomes.Delivered, result.Status, result.Reason, at, null);
            case SendVerdict.Refused:
                return new AttemptOutcome(attempt, AttemptOutcomes.Dead, result.Status, $"refused: {result.Reason}", at, null);
        }
        if (redelivery)
        {
            return new AttemptOutcome(attempt, AttemptOutcomes.Dead, result.Status, $"redelivery failed: {result.Reason}", at, null);
        }
        var next = now + DelayAfter(attempt, result.RetryAfter);
        return next > enqueuedAt + options.RetryFor
            ? new AttemptOutcome(attempt, AttemptOutcomes.Dead, result.Status,
                $"gave up after {attempt} attempts over {(now - enqueuedAt).TotalHours:F1} h: {result.Reason}", at, null)
            : new AttemptOutcome(attempt, AttemptOutcomes.Retry, result.Status, result.Reason, at, UtcTimestamp.Format(next));
    }
}
