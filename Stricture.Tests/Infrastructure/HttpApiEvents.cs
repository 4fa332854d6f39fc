using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// HTTP API events (payload format 2.0) as a Lambda function URL builds them from a client's
/// request, and the function's payload-2.0 responses read back as HTTP. The shapes follow AWS's
/// documentation: lowercase header names, repeated headers joined with commas, cookies in their own
/// array, rawPath and rawQueryString as received, requestContext.http with method, path, protocol and
/// sourceIp, and a body that is base64 unless it is text (text/*, JSON, XML) sent without a
/// content coding (and valid UTF-8, which a JSON string needs).
/// </summary>
public static class HttpApiEvents
{
    public const string DomainName = "abcdefghijklmnop.lambda-url.eu-west-1.on.aws";

    public const string SourceIp = "203.0.113.7";

    public static async Task<byte[]> FromRequestAsync(HttpRequestMessage request, string stage = "$default")
    {
        var uri = new Uri(new Uri("https://" + DomainName), request.RequestUri!);
        var headers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, IEnumerable<string> values)
        {
            var key = name.ToLowerInvariant();
            if (!headers.TryGetValue(key, out var list))
            {
                headers[key] = list = [];
            }
            list.AddRange(values);
        }
        foreach (var (name, values) in request.Headers)
        {
            Add(name, values);
        }
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                Add(name, values);
            }
            Add("content-length", [body.Length.ToString(CultureInfo.InvariantCulture)]);
        }
        Add("host", [DomainName]);
        Add("x-forwarded-proto", ["https"]);
        Add("x-forwarded-port", ["443"]);
        Add("x-forwarded-for", [SourceIp]);
        Add("x-amzn-trace-id", ["Root=1-62ecd163-5f302e550dcde3b12402207d"]);
        var cookies = headers.Remove("cookie", out var cookieHeaders)
            ? cookieHeaders.SelectMany(value => value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList()
            : null;

        var rawPath = (stage == "$default" ? "" : "/" + stage) + uri.AbsolutePath;
        var text = body.Length > 0 && IsText(request.Content!) && System.Text.Unicode.Utf8.IsValid(body);
        var document = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = uri.Query.TrimStart('?'),
            ["headers"] = new JsonObject(headers.Select(header => KeyValuePair.Create(header.Key, (JsonNode?)string.Join(",", header.Value)))),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = "abcdefghijklmnop",
                ["domainName"] = DomainName,
                ["domainPrefix"] = "abcdefghijklmnop",
                ["http"] = new JsonObject
                {
                    ["method"] = request.Method.Method,
                    ["path"] = rawPath,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = SourceIp,
                    ["userAgent"] = request.Headers.UserAgent.ToString(),
                },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = stage,
                ["time"] = DateTime.UtcNow.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
            ["isBase64Encoded"] = body.Length > 0 && !text,
        };
        if (cookies is not null)
        {
            document["cookies"] = new JsonArray(cookies.Select(cookie => (JsonNode?)cookie).ToArray());
        }
        if (body.Length > 0)
        {
            document["body"] = text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body);
        }
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    /// <summary>A function's payload-2.0 response, as the HTTP response the client would receive.</summary>
    public static HttpResponseMessage ToResponse(byte[] document)
    {
        var json = JsonDocument.Parse(document).RootElement;
        var body = json.TryGetProperty("body", out var bodyText) && bodyText.GetString() is { Length: > 0 } value
            ? json.TryGetProperty("isBase64Encoded", out var base64) && base64.GetBoolean() ? Convert.FromBase64String(value) : Encoding.UTF8.GetBytes(value)
            : [];
        var response = new HttpResponseMessage((HttpStatusCode)json.GetProperty("statusCode").GetInt32()) { Content = new ByteArrayContent(body) };
        response.Content.Headers.Clear();
        if (json.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (!response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
                {
                    response.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
            }
        }
        if (json.TryGetProperty("cookies", out var cookies))
        {
            foreach (var cookie in cookies.EnumerateArray())
            {
                response.Headers.TryAddWithoutValidation("Set-Cookie", cookie.GetString());
            }
        }
        return response;
    }

    private static bool IsText(HttpContent content)
    {
        if (content.Headers.ContentEncoding.Count > 0)
        {
            return false;
        }
        var type = content.Headers.ContentType?.MediaType ?? "";
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.EndsWith("json", StringComparison.OrdinalIgnoreCase) ||
               type.EndsWith("xml", StringComparison.OrdinalIgnoreCase);
    }
}
