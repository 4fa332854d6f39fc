using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Stricture.Cli.Http;

/// <summary>
/// Sends a request until it gets an answer worth acting on, within one overall deadline (--timeout).
/// Retried: connection failures, attempts that time out, and 408, 429, 500, 502, 503, 504, with
/// exponential backoff and jitter, waiting as long as Retry-After says when the server says. Any
/// other status, a 4xx above all, is the answer: retrying a 400 or a 409 cannot change it. A retried
/// push is safe because its run id is fixed before the first attempt.
/// </summary>
public sealed class RetryingSender(HttpClient client, TimeSpan timeout, TextWriter log)
{
    /// <summary>One attempt that gets no answer in this long is abandoned and retried (within the deadline).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(60);

    private static readonly HttpStatusCode[] Retryable =
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>Sends the request <paramref name="create"/> makes (a new one per attempt) and reads the whole answer.</summary>
    /// <exception cref="ServerUnavailableException">The deadline passed with only retryable failures.</exception>
    public async Task<ServerAnswer> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var lastFailure = "no attempt finished";
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => Retryable.Contains(response.StatusCode)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(15),
                DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Result)),
                OnRetry = async arguments =>
                {
                    lastFailure = await DescribeAsync(arguments.Outcome);
                    await log.WriteLineAsync(
                        $"stricture: attempt {attempts} failed ({lastFailure}); retrying in {arguments.RetryDelay.TotalSeconds:0.0}s");
                },
            })
            .AddTimeout(AttemptTimeout)
            .Build();

        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = create();
                return await client.SendAsync(request, token);
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or HttpRequestException)
        {
            // Callers end the sentence; a server's detail already ends with its own full stop.
            var last = (exception is HttpRequestException ? Describe(exception) : lastFailure).TrimEnd('.');
            throw new ServerUnavailableException(
                $"no answer within --timeout {Duration.Format(timeout)} after {attempts} {(attempts == 1 ? "attempt" : "attempts")}; the last: {last}", attempts);
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new ServerAnswer(response.StatusCode, body, response.Content.Headers.ContentLocation?.ToString(), attempts);
        }
    }

    /// <summary>The server's Retry-After (seconds or a date), or null for the backoff's own delay.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } wait && wait > TimeSpan.Zero ? wait : null;
    }

    private static async Task<string> DescribeAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is not { } response)
        {
            return Describe(outcome.Exception);
        }
        var body = await response.Content.ReadAsByteArrayAsync();
        return new ServerAnswer(response.StatusCode, body, null, 0).Describe();
    }

    private static string Describe(Exception? exception) => exception switch
    {
        TimeoutRejectedException => $"no answer within {AttemptTimeout.TotalSeconds:0}s",
        null => "unknown failure",
        _ => exception.Message,
    };
}
