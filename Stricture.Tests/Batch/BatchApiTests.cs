using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Batch;

/// <summary>POST /v1/artifacts/batch through real Kestrel: each item answers what posting it alone would.</summary>
public sealed class BatchApiTests
{
    [Fact]
    public async Task A_batch_with_mixed_items_answers_each_as_a_single_post_would_in_item_order()
    {
        await using var server = IngestServer.Start();
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(Posts.Valid(runId: "taken"))).StatusCode);
        var conflicting = Posts.Valid(runId: "taken");
        conflicting["summary"] = "other content";
        var badIdentifier = Posts.Valid(runId: "bad");
        badIdentifier["organization"] = "Acme";
        var unknownField = Posts.Valid(runId: "unknown");
        unknownField["colour"] = "blue";

        var results = await server.Client.ResultsAsync(BatchRequests.Of(
            Posts.Valid(runId: "fresh"), conflicting, Posts.Valid(runId: "taken"), badIdentifier, unknownField, JsonValue.Create(42)!, Posts.Valid()));

        Assert.Equal([202, 409, 202, 400, 400, 400, 202], results.Select(BatchRequests.Status));
        var fresh = results[0];
        Assert.Equal("fresh", fresh.GetProperty("run_id").GetString());
        Assert.True(fresh.GetProperty("created").GetBoolean(), "a new run is created");
        Assert.True(File.Exists(server.PathOf(fresh.GetProperty("location").GetString()!)), "an accepted item is stored at its location");
        Assert.Equal(Posts.Sha256(await File.ReadAllBytesAsync(server.PathOf(fresh.GetProperty("location").GetString()!))), fresh.GetProperty("sha256").GetString());
        Assert.Equal("run-conflict", BatchRequests.ProblemCode(results[1]));
        Assert.Equal(results[2].GetProperty("location").GetString(), results[1].GetProperty("problem").GetProperty("location").GetString());
        Assert.False(results[2].GetProperty("created").GetBoolean(), "the identical retry returns the stored run, not a new one");
        Assert.Equal(("invalid-identifier", "organization"), (BatchRequests.ProblemCode(results[3]), results[3].GetProperty("problem").GetProperty("field").GetString()));
        Assert.Equal("unknown-field", BatchRequests.ProblemCode(results[4]));
        Assert.Equal("invalid-json", BatchRequests.ProblemCode(results[5]));
        Assert.Matches("^[0-9a-f]{32}$", results[6].GetProperty("run_id").GetString());
        var problem = results[1].GetProperty("problem");
        Assert.Equal(("urn:stricture:problem:run-conflict", 409), (problem.GetProperty("type").GetString(), problem.GetProperty("status").GetInt32()));
        // An item's problem carries the upstream server's error member like every other problem: its detail.
        Assert.Equal(problem.GetProperty("detail").GetString(), problem.GetProperty("error").GetString());

        Assert.False(Directory.Exists(server.PathOf("stricture/v1/org=Acme")), "an item refused by validation must store nothing");
    }

    [Theory]
    [InlineData("[1, 2]", "invalid-batch", null)]
    [InlineData("{}", "invalid-batch", "items")]
    [InlineData("{\"items\": []}", "invalid-batch", "items")]
    [InlineData("{\"items\": {}}", "invalid-batch", "items")]
    [InlineData("{\"items\": [], \"items\": []}", "duplicate-property", "items")]
    [InlineData("{\"items\": [{}], \"dry_run\": true}", "unknown-field", "dry_run")]
    [InlineData("{\"items\": [{}]", "invalid-json", null)]
    public async Task A_malformed_envelope_is_one_400_for_the_whole_batch(string body, string code, string? field)
    {
        await using var server = IngestServer.Start();

        var response = await server.Client.PostAsync("/v1/artifacts/batch", Posts.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, code, field);
    }

    [Fact]
    public async Task More_than_a_hundred_items_is_one_400_and_stores_nothing()
    {
        await using var server = IngestServer.Start();
        var items = Enumerable.Range(0, 101).Select(i => (JsonNode)Posts.Valid(runId: $"over-{i}")).ToArray();

        var response = await server.Client.PostBatchAsync(BatchRequests.Of(items));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, "too-many-items", "items");
        Assert.False(Directory.Exists(server.PathOf("stricture/v1/org=acme")), "a refused batch must store nothing");
    }

    [Fact]
    public async Task A_hundred_items_are_all_stored_and_each_is_listed()
    {
        await using var server = IngestServer.Start();
        var items = Enumerable.Range(0, 100).Select(i => (JsonNode)Posts.Valid(runId: $"run-{i:D3}", service: $"svc-{i % 7}", generatedAt: "2026-11-22T10:00:00Z")).ToArray();

        var results = await server.Client.ResultsAsync(BatchRequests.Of(items));

        Assert.All(results, result => Assert.Equal(202, BatchRequests.Status(result)));
        var listed = 0;
        for (var service = 0; service < 7; service++)
        {
            listed += (await CommitsOf(server, $"/v1/runs/acme/checkout/svc-{service}?from=2026-11-22&to=2026-11-22&limit=1000")).Count;
        }
        Assert.True(listed == 100, $"every accepted item must be listed after the 200; {listed} were");
    }

    [Fact]
    public async Task Thirty_two_posts_of_one_run_id_inside_and_across_batches_store_exactly_one_record()
    {
        await using var server = IngestServer.Start();
        // Sixteen identical items and sixteen with other content, half in one batch and half spread over eight more batches, all at once.
        JsonNode Item(int i)
        {
            var body = Posts.Valid(runId: "raced", generatedAt: "2026-11-22T10:00:00Z");
            if (i % 2 == 1)
            {
                body["summary"] = $"variant {i}";
            }
            return body;
        }
        var inside = BatchRequests.Of(Enumerable.Range(0, 16).Select(Item).ToArray());
        var across = Enumerable.Range(0, 8).Select(batch => BatchRequests.Of(Item(16 + 2 * batch), Item(17 + 2 * batch))).ToList();

        var answers = await Task.WhenAll(across.Prepend(inside).Select(server.Client.ResultsAsync));

        var results = answers.SelectMany(batch => batch).ToList();
        Assert.Equal(32, results.Count);
        var accepted = results.Where(result => BatchRequests.Status(result) == 202).ToList();
        Assert.All(results, result => Assert.Contains(BatchRequests.Status(result), new[] { 202, 409 }));
        Assert.True(accepted.Count >= 1, "one of the posts must win");
        Assert.Single(accepted.Select(result => (result.GetProperty("location").GetString(), result.GetProperty("sha256").GetString())).Distinct());
        Assert.Single(accepted, result => result.GetProperty("created").GetBoolean());
        var location = accepted[0].GetProperty("location").GetString()!;
        Assert.All(results.Where(result => BatchRequests.Status(result) == 409),
            result => Assert.Equal(location, result.GetProperty("problem").GetProperty("location").GetString()));
        Assert.EndsWith("/runs/run=raced.json", location);
        var runsDirectory = Path.GetDirectoryName(server.PathOf(location))!;
        Assert.Equal(["run=raced.json"], Directory.GetFiles(runsDirectory).Select(Path.GetFileName));
        var listed = await CommitsOf(server, "/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-22");
        Assert.Equal(["raced"], listed);
        // The winner is one of the identical items or one of the variants: either way, every post of its content is a 202 and every other a 409.
        var winner = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf(location))).RootElement.GetProperty("summary").GetString();
        var sameContent = Enumerable.Range(0, 32).Count(i => (i % 2 == 0 ? "# Lineage\nNo changes." : $"variant {i}") == winner);
        Assert.True(sameContent == accepted.Count, $"{sameContent} posts carried the stored content, and {accepted.Count} were accepted");
    }

    [Fact]
    public async Task Each_item_is_authorized_for_its_own_project_and_audited_on_its_own()
    {
        var checkout = ScopedTestToken.Valid("checkout-ci", "acme/checkout");
        using var file = new TokenFile(checkout);
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_TOKEN_FILE"] = file.Path,
        });
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", checkout.Secret);
        var billing = Posts.Valid(runId: "b1");
        billing["project"] = "billing";

        var response = await server.Client.PostBatchAsync(BatchRequests.Of(Posts.Valid(runId: "k1"), billing));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.WwwAuthenticate.Any(), "a 200 carries no challenge; the item's 403 says what is missing");
        var results = (await response.JsonBodyAsync()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([202, 403], results.Select(BatchRequests.Status));
        Assert.Equal("acme/billing", results[1].GetProperty("problem").GetProperty("scope").GetString());

        var events = await AuthTestSupport.ReadAuditAsync(server, expected: 3);
        Assert.Equal(3, events.Count);
        var items = events.Where(e => e.GetProperty("event").GetString() == "ingest").OrderBy(e => e.GetProperty("batch_index").GetInt32()).ToList();
        Assert.Equal([("k1", 202, "stored", "allowed"), ("b1", 403, "missing-scope", "denied")],
            items.Select(e => (e.GetProperty("run_id").GetString(), e.GetProperty("status").GetInt32(), e.GetProperty("reason").GetString(),
                e.GetProperty("scope_decision").GetString())));
        Assert.All(items, e => Assert.Equal("token:checkout-ci", e.GetProperty("principal").GetString()));
        var batch = Assert.Single(events, e => e.GetProperty("event").GetString() == "ingest-batch");
        Assert.Equal((200, "batch"), (batch.GetProperty("status").GetInt32(), batch.GetProperty("reason").GetString()));

        server.Client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.PostBatchAsync(BatchRequests.Of(Posts.Valid()))).StatusCode);
    }

    private static async Task<List<string>> CommitsOf(IngestServer server, string path)
    {
        var response = await server.Client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
        return (await response.JsonBodyAsync()).GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!).ToList();
    }
}
