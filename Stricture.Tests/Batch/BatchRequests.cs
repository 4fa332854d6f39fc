using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Batch;

/// <summary>Builds batch bodies and reads their answers.</summary>
public static class BatchRequests
{
    public static JsonObject Of(params JsonNode[] items) => new() { ["items"] = new JsonArray(items) };

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, JsonNode body) =>
        client.PostAsync("/v1/artifacts/batch", Posts.Json(body));

    /// <summary>Posts a batch that must answer 200 and returns its results, in order.</summary>
    public static async Task<List<JsonElement>> ResultsAsync(this HttpClient client, JsonNode body)
    {
        var response = await client.PostBatchAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"a batch must answer 200, was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var results = (await response.JsonBodyAsync()).GetProperty("results").EnumerateArray().ToList();
        Assert.True(results.Select(result => result.GetProperty("index").GetInt32()).SequenceEqual(Enumerable.Range(0, results.Count)),
            "results must come in item order, each with its index");
        return results;
    }

    public static int Status(JsonElement result) => result.GetProperty("status").GetInt32();

    public static string ProblemCode(JsonElement result) => result.GetProperty("problem").GetProperty("code").GetString()!;
}
