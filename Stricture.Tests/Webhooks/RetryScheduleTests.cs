using System.Net;
using Stricture.Ingest.Webhooks;

namespace Stricture.Tests.Webhooks;

/// <summary>Which answers are retried, how long the outbox waits between attempts, and when it gives up.</summary>
public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Enqueued = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static RetrySchedule Schedule(int seed = 7) => new(new WebhookOptions(), new Random(seed));

    [Theory]
    [InlineData(HttpStatusCode.OK, "Delivered")]
    [InlineData(HttpStatusCode.NoContent, "Delivered")]
    [InlineData(HttpStatusCode.RequestTimeout, "Transient")]
    [InlineData(HttpStatusCode.TooManyRequests, "Transient")]
    [InlineData(HttpStatusCode.InternalServerError, "Transient")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "Transient")]
    [InlineData(HttpStatusCode.Gone, "Refused")]
    [InlineData(HttpStatusCode.BadRequest, "Refused")]
    [InlineData(HttpStatusCode.Unauthorized, "Refused")]
    [InlineData(HttpStatusCode.MovedPermanently, "Refused")]
    public void Connection_errors_timeouts_408_429_and_5xx_are_retried_and_other_answers_are_final(HttpStatusCode status, string verdict) =>
        Assert.Equal(verdict, SendResult.FromStatus(status, null).Verdict.ToString());

    [Fact]
    public void Delays_double_from_the_first_up_to_the_maximum_with_jitter_in_their_upper_half()
    {
        var schedule = Schedule();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var ceiling = Math.Min(10 * Math.Pow(2, attempt - 1), 3_600);
            var delay = schedule.DelayAfter(attempt).TotalSeconds;
            Assert.True(delay >= ceiling / 2 && delay <= ceiling, $"attempt {attempt}: the delay {delay:F1} s must be within [{ceiling / 2}, {ceiling}] s");
        }
        var spread = Enumerable.Range(0, 50).Select(_ => schedule.DelayAfter(3)).Distinct().Count();
        Assert.True(spread > 40, $"jitter must spread the retries of many deliveries; got {spread} distinct delays of 50");
    }

    [Fact]
    public void A_retry_after_the_receiver_asks_for_is_honoured_up_to_the_maximum_delay()
    {
        Assert.Equal(TimeSpan.FromMinutes(20), Schedule().DelayAfter(1, TimeSpan.FromMinutes(20)));
        Assert.Equal(TimeSpan.FromHours(1), Schedule().DelayAfter(1, TimeSpan.FromHours(5)));
    }

    [Fact]
    public void A_transient_failure_is_retried_within_24_hours_of_the_enqueue_and_is_a_dead_letter_after()
    {
        var transient = new SendResult(SendVerdict.Transient, 503, "503 ServiceUnavailable");

        var early = Schedule().Decide(transient, 3, Enqueued, Enqueued.AddMinutes(2), redelivery: false);
        Assert.Equal(AttemptOutcomes.Retry, early.Outcome);
        Assert.NotNull(early.NextAttemptAt);

        var late = Schedule().Decide(transient, 30, Enqueued, Enqueued.AddHours(23.9), redelivery: false);
        Assert.Equal(AttemptOutcomes.Dead, late.Outcome);
        Assert.StartsWith("gave up after 30 attempts", late.Reason);
    }

    [Fact]
    public void A_refusal_is_final_at_once_and_a_redelivery_is_a_single_attempt()
    {
        var gone = Schedule().Decide(SendResult.FromStatus(HttpStatusCode.Gone, null), 1, Enqueued, Enqueued, redelivery: false);
        Assert.Equal((AttemptOutcomes.Dead, 410), (gone.Outcome, gone.Status));

        var redelivery = Schedule().Decide(new SendResult(SendVerdict.Transient, 0, "connection failed"), 4, Enqueued, Enqueued.AddDays(3), redelivery: true);
        Assert.Equal(AttemptOutcomes.Dead, redelivery.Outcome);
    }
}
