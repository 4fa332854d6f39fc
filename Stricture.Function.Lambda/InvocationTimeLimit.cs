namespace Stricture.Function.Lambda;

/// <summary>
/// Ends a request shortly before Lambda's deadline for its invocation. Lambda would otherwise stop
/// the instance mid-request, and the caller would get a bare 502 ("Task timed out"). Instead the
/// request is cancelled (as if its client had gone), which stops the storage calls it is waiting
/// on, and the adapter answers with a retryable problem that says what happened.
/// </summary>
internal sealed class InvocationTimeLimit : IDisposable
{
    /// <summary>Kept back from the deadline to send the answer.</summary>
    public static readonly TimeSpan Reserve = TimeSpan.FromMilliseconds(750);

    public const string ProblemCode = "function-timeout";

    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _stopping;

    public InvocationTimeLimit(DateTimeOffset? deadline, CancellationToken stopping)
    {
        _stopping = stopping;
        _source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (deadline is { } end)
        {
            var remaining = end - DateTimeOffset.UtcNow;
            // A very short invocation keeps half its time for the answer rather than none.
            var budget = remaining > Reserve * 2 ? remaining - Reserve : remaining / 2;
            _source.CancelAfter(budget > TimeSpan.Zero ? budget : TimeSpan.Zero);
        }
    }

    /// <summary>The request's RequestAborted: cancelled at the time limit or when the function stops.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The time limit, not a stopping function, cancelled the request.</summary>
    public bool Reached => _source.IsCancellationRequested && !_stopping.IsCancellationRequested;

    public static HttpApiResponse ProblemResponse()
    {
        var response = LambdaProblemResponse.Create(StatusCodes.Status503ServiceUnavailable, ProblemCode,
            "The request did not finish within the function's time limit.",
            "The request was still running when the function's timeout came near, so it was stopped. A post cut short is completed " +
            "by a retry with the same run_id; nothing stored is lost or torn. If this keeps happening, raise the function's timeout " +
            "or check that the object store answers.");
        response.Headers["Retry-After"] = "5";
        return response;
    }

    public void Dispose() => _source.Dispose();
}
