using System.Net;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>Health endpoints and the OpenAPI document.</summary>
public sealed class ServiceEndpointTests(SharedIngestServer shared) : IClassFixture<SharedIngestServer>
{
    private readonly IngestServer _server = shared.Server;

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_report_healthy_and_reveal_nothing_else(string path)
    {
        var response = await _server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_when_the_data_directory_is_not_writable()
    {
        // Replace the staging directory with a file: every durable write now fails.
        var staging = Path.Combine(_server.DataDirectory, ".staging");
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "not a directory");
        try
        {
            var health = await _server.Client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/alive")).StatusCode);

            var post = await _server.Client.PostAsync(Posts.Valid());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
            Assert.NotNull(post.Headers.RetryAfter);
            await Problem.AssertAsync(post, "storage-unavailable");
        }
        finally
        {
            File.Delete(staging);
            Directory.CreateDirectory(staging);
        }
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_ingest_endpoint_as_it_behaves()
    {
        var response = await _server.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var post = document.GetProperty("paths").GetProperty("/v1/artifacts").GetProperty("post");
        var statuses = post.GetProperty("responses").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "202", "400", "401", "409", "413", "415", "503" }, statuses);

        var bodySchema = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = Resolve(document, bodySchema);
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(
            new HashSet<string> { "organization", "project", "service", "run_id", "commit_sha", "generated_at", "artifact", "diff", "summary", "metadata" },
            properties);
        var required = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "organization", "project", "service", "artifact" }, required);

        var accepted = Resolve(document, post.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Superset(new HashSet<string> { "accepted", "run_id", "location", "sha256" },
            accepted.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet());
    }

    [Theory]
    [InlineData("/v1/runs/{organization}/{project}/{service}/latest", "200,304,400,401,403,404,503")]
    [InlineData("/v1/runs/{organization}/{project}/{service}/{run_id}", "200,304,400,401,403,404,503")]
    [InlineData("/v1/runs/{organization}/{project}/{service}", "200,400,401,403,404,503")]
    [InlineData("/v1/commits/{sha}", "200,400,401,403,503")]
    public async Task The_openapi_document_lists_every_status_a_read_endpoint_answers(string path, string expected)
    {
        var document = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var get = document.GetProperty("paths").GetProperty(path).GetProperty("get");
        var statuses = get.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.True(string.Join(",", statuses) == expected, $"{path} must document {expected}, documents {string.Join(",", statuses)}");
    }

    [Fact]
    public async Task The_openapi_document_lists_every_status_the_ingest_endpoint_answers()
    {
        var document = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var responses = document.GetProperty("paths").GetProperty("/v1/artifacts").GetProperty("post").GetProperty("responses");
        var statuses = string.Join(",", responses.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        Assert.True(statuses == "202,400,401,403,409,413,415,503,507", $"POST /v1/artifacts documents {statuses}");
        Assert.True(responses.GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _),
            "a conflict is documented as a problem body");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_batch_endpoint_with_its_items_and_statuses()
    {
        var document = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var post = document.GetProperty("paths").GetProperty("/v1/artifacts/batch").GetProperty("post");
        var statuses = string.Join(",", post.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var body = Resolve(document, post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        Assert.True(statuses == "200,400,401,413,415", $"POST /v1/artifacts/batch documents {statuses}");
        Assert.Equal(["items"], body.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var item = Resolve(document, body.GetProperty("properties").GetProperty("items").GetProperty("items"));
        Assert.True(item.GetProperty("properties").TryGetProperty("artifact", out _), "each item is described as an artifact post");
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }
        var name = reference.GetString()!.Split('/').Last();
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
