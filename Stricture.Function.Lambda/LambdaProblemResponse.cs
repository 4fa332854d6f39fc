using System.Text.Json;

namespace Stricture.Function.Lambda;

/// <summary>
/// A problem response that the adapter itself sends, for the few failures that happen around the
/// application rather than inside it: the body is <see cref="ProblemDocument"/>'s, as every other
/// problem of the server, serialized into the Lambda response.
/// </summary>
internal static class LambdaProblemResponse
{
    public static HttpApiResponse Create(int status, string code, string title, string detail, string? limitName = null, long limit = 0)
    {
        var problem = ProblemDocument.AddErrorMember(ProblemDocument.Create(status, code, title, detail,
            limitName is null ? null : [new KeyValuePair<string, object?>(limitName, limit)]));
        return new HttpApiResponse
        {
            StatusCode = status,
            Headers =
            {
                ["Content-Type"] = "application/problem+json",
                ["Cache-Control"] = "no-store",
            },
            Body = JsonSerializer.Serialize(problem, LambdaJsonContext.Default.ProblemDetails),
        };
    }
}
