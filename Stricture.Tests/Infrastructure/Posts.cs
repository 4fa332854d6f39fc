using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stricture.Tests.Infrastructure;

/// <summary>Builds artifact posts and reads their answers.</summary>
public static class Posts
{
    public static JsonObject Valid(string? runId = null, string service = "api", string? generatedAt = null)
    {
        var body = new JsonObject
        {
            ["organization"] = "acme",
            ["project"] = "checkout",
            ["service"] = service,
            ["commit_sha"] = "0123456789abcdef0123456789abcdef01234567",
            ["artifact"] = new JsonObject { ["kind"] = "lineage-export", ["nodes"] = new JsonArray(1, 2, 3) },
            ["summary"] = "# Lineage\nNo changes.",
            ["metadata"] = new JsonObject { ["pipeline"] = "ci" },
        };
        if (runId is not null)
        {
            body["run_id"] = runId;
        }
        if (generatedAt is not null)
        {
            body["generated_at"] = generatedAt;
        }
        return body;
    }

    public static HttpContent Json(string json) => Raw(Encoding.UTF8.GetBytes(json));

    public static HttpContent Json(JsonNode body) => Json(body.ToJsonString());

    public static HttpContent Raw(byte[] bytes, string contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, JsonNode body) =>
        client.PostAsync("/v1/artifacts", Json(body));

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string json) =>
        client.PostAsync("/v1/artifacts", Json(json));

    public static async Task<JsonElement> JsonBodyAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
