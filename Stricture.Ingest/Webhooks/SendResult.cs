using System.Net;

namespace Stricture.Ingest.Webhooks;

/// <summary>What one POST came to: delivered, worth retrying (connection errors, timeouts, 408, 429, 5xx), or refused for good (any other status).</summary>
internal sealed record SendResult(SendVerdict Verdict, int Status, string Reason, TimeSpan? RetryAfter = null)
{
    public static SendResult FromStatus(HttpStatusCode code, TimeSpan? retryAfter)
    {
        var status = (int)code;
        var reason = $"{status} {code}";
        return status switch
        {
            >= 200 and < 300 => new SendResult(SendVerdict.Delivered, status, reason),
            408 or 429 or >= 500 => new SendResult(SendVerdict.Transient, status, reason, retryAfter),
            _ => new SendResult(SendVerdict.Refused, status, reason),
        };
    }
}

internal enum SendVerdict
{
    Delivered,
    Transient,
    Refused,
}
