using System.Text;
using System.Text.Json.Nodes;

namespace Stricture.ColdStart;

/// <summary>The invocations measured, as function URL events (HTTP API payload format 2.0).</summary>
internal static class FunctionEvents
{
    public static byte[] Get(string path) => Event("GET", path, null, []);

    public static byte[] PostArtifact(string token, string runId) =>
        Event("POST", "/v1/artifacts", Artifact(runId), [("authorization", "Bearer " + token), ("content-type", "application/json")]);

    /// <summary>The same body to the bare app's object endpoint, which stores it as it is.</summary>
    public static byte[] PutObject(string key) =>
        Event("POST", "/objects/" + key, Artifact(key), [("content-type", "application/json")]);

    private static string Artifact(string runId) => new JsonObject
    {
        ["organization"] = "acme",
        ["project"] = "checkout",
        ["service"] = "cold-start",
        ["run_id"] = runId,
        ["commit_sha"] = "0123456789abcdef0123456789abcdef01234567",
        ["generated_at"] = "2026-11-22T10:00:00Z",
        ["artifact"] = new JsonObject { ["kind"] = "lineage-export", ["nodes"] = new JsonArray(1, 2, 3) },
    }.ToJsonString();

    private static byte[] Event(string method, string path, string? body, (string Name, string Value)[] headers)
    {
        var headerObject = new JsonObject
        {
            ["host"] = "abcdefghijklmnop.lambda-url.eu-west-1.on.aws",
            ["x-forwarded-proto"] = "https",
            ["x-forwarded-for"] = "203.0.113.7",
            ["user-agent"] = "cold-start",
        };
        foreach (var (name, value) in headers)
        {
            headerObject[name] = value;
        }
        if (body is not null)
        {
            headerObject["content-length"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var document = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = "",
            ["headers"] = headerObject,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = "abcdefghijklmnop",
                ["domainName"] = "abcdefghijklmnop.lambda-url.eu-west-1.on.aws",
                ["http"] = new JsonObject { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "203.0.113.7" },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
            },
            ["isBase64Encoded"] = false,
        };
        if (body is not null)
        {
            document["body"] = body;
        }
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }
}
