using System.Text;
using System.Text.Json;

namespace Stricture.Ingest.Function.Lambda;

/// <summary>
/// A problem response (RFC 9457, in the shape of the application's problems: type
/// <c>urn:stricture:problem:&lt;code&gt;</c>, title, status, detail, code) that the adapter itself
/// sends, for the few failures that happen around the application rather than inside it. Written
/// here rather than through RequestProblem because the adapter's sources also build the cold-start
/// baseline app (bench/Stricture.BareFunction), which has none of the application's code.
/// </summary>
internal static class LambdaProblemResponse
{
    public static HttpApiResponse Create(int status, string code, string title, string detail, string? limitName = null, long limit = 0)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("type", "urn:stricture:problem:" + code);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteString("code", code);
            if (limitName is not null)
            {
                json.WriteNumber(limitName, limit);
            }
            json.WriteEndObject();
        }
        return new HttpApiResponse
        {
            StatusCode = status,
            Headers =
            {
                ["Content-Type"] = "application/problem+json",
                ["Cache-Control"] = "no-store",
            },
            Body = Encoding.UTF8.GetString(body.ToArray()),
        };
    }
}
