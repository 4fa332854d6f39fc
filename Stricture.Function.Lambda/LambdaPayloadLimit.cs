using System.Globalization;

namespace Stricture.Function.Lambda;

/// <summary>
/// Lambda's limit on a synchronous invocation's response ("6 MB"; the exact figure is the one
/// Lambda's error names), and the problem response sent in place of a larger one.
/// </summary>
internal static class LambdaPayloadLimit
{
    public const int MaxResponseBytes = 6_291_556;

    public const string ProblemCode = "response-too-large";

    /// <summary>
    /// Says that the real response, <paramref name="payloadBytes"/> long as a payload, cannot leave a
    /// Lambda function, and how to get it anyway.
    /// </summary>
    public static HttpApiResponse ProblemResponse(int payloadBytes) =>
        LambdaProblemResponse.Create(StatusCodes.Status500InternalServerError, ProblemCode, "The response is too large for a Lambda function.",
            string.Create(CultureInfo.InvariantCulture,
                $"The response is {payloadBytes:N0} bytes as a Lambda payload; a Lambda function can return at most {MaxResponseBytes:N0}. ") +
            "A body that is not text travels base64, a third larger. Ask with 'Accept-Encoding: gzip' (a stored run compresses well), " +
            "or read it from a Stricture server on the same bucket.",
            "limit", MaxResponseBytes);
}
