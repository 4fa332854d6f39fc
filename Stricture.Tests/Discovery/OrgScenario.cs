using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Discovery;

/// <summary>
/// One organization's posts with realistic lineage-diffs (the fixtures of Drift/Fixtures, upstream's
/// format) and what the services listing and the drift feed must answer for them. Shared by the
/// filesystem and S3 tests, which run it through the real HTTP pipeline.
/// </summary>
public static class OrgScenario
{
    /// <summary>The day the server's clock says it is: the feed's default range ends here.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Another organization's run with high drift: it must never show in acme's answers.</summary>
    public static readonly (string Org, string Project, string Service, string RunId, string GeneratedAt, string? Diff) Foreign =
        ("globex", "x", "y", "g1", "2026-11-22T10:00:00Z", "diff-high.json");

    public static readonly (string Org, string Project, string Service, string RunId, string GeneratedAt, string? Diff)[] Runs =
    [
        ("acme", "checkout", "api", "a1", "2026-11-20T10:00:00Z", "diff-high.json"),
        ("acme", "checkout", "api", "a2", "2026-11-21T10:00:00Z", null),
        ("acme", "checkout", "web", "w1", "2026-11-21T09:00:00Z", "diff-summary-only.json"),
        ("acme", "billing", "ledger", "l1", "2026-11-22T08:00:00Z", "diff-none.json"),
        ("acme", "billing", "ledger", "l2", "2026-11-22T09:00:00Z", "medium"),
        Foreign,
    ];

    /// <summary>A diff with one medium and one info change, and no summary object.</summary>
    public static JsonObject MediumDiff() => new()
    {
        ["changes"] = new JsonArray(
            new JsonObject { ["severity"] = "info", ["change_type"] = "note_changed", ["field_id"] = "ledger_entry_memo", ["message"] = "note changed" },
            new JsonObject
            {
                ["severity"] = "medium",
                ["change_type"] = "field_added",
                ["field_id"] = "ledger_entry_currency",
                ["message"] = "New field added to lineage artifact",
            }),
    };

    public static JsonObject Post(string org, string project, string service, string runId, string generatedAt, string? diff)
    {
        var body = Posts.Valid(runId: runId, service: service, generatedAt: generatedAt);
        body["organization"] = org;
        body["project"] = project;
        if (diff is not null)
        {
            body["diff"] = diff == "medium" ? MediumDiff() : JsonNode.Parse(File.ReadAllText(Repository.Path("Stricture.Tests", "Drift", "Fixtures", diff)));
        }
        return body;
    }

    public static async Task PostAllAsync(HttpClient client)
    {
        foreach (var (org, project, service, runId, generatedAt, diff) in Runs)
        {
            var response = await client.PostAsync(Post(org, project, service, runId, generatedAt, diff));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"posting {runId} must be accepted, was {(int)response.StatusCode}");
        }
    }

    /// <summary>The queries whose answers a rebuild must reproduce exactly.</summary>
    public static readonly string[] Queries =
    [
        "/v1/orgs/acme/services",
        "/v1/orgs/acme/services?project=checkout",
        "/v1/orgs/acme/drift",
        "/v1/orgs/acme/drift?min_severity=high",
        "/v1/orgs/acme/drift?min_severity=medium&from=2026-11-20&to=2026-11-21",
        "/v1/runs/acme/checkout/api?from=2026-11-20&to=2026-11-22",
    ];

    public static async Task<Dictionary<string, string>> AnswersAsync(HttpClient client)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var query in Queries)
        {
            var response = await client.GetAsync(query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query} must answer 200, was {(int)response.StatusCode}");
            answers[query] = await response.Content.ReadAsStringAsync();
        }
        return answers;
    }

    /// <summary>Asserts what the services listing and the drift feed answer for <see cref="Runs"/>.</summary>
    public static async Task AssertAnswersAsync(HttpClient client)
    {
        var services = await GetJsonAsync(client, "/v1/orgs/acme/services");
        Assert.Equal(["billing/ledger", "checkout/api", "checkout/web"], services.GetProperty("services").EnumerateArray().Select(Name));
        var ledger = services.GetProperty("services")[0].GetProperty("latest");
        Assert.Equal("l2", ledger.GetProperty("run_id").GetString());
        Assert.Equal("2026-11-22T09:00:00.0000000Z", ledger.GetProperty("generated_at").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", ledger.GetProperty("commit_sha").GetString());
        Assert.Equal("/v1/runs/acme/billing/ledger/l2", ledger.GetProperty("href").GetString());
        Assert.Equal((2, 1, 1), (ledger.GetProperty("drift").GetProperty("total").GetInt32(), ledger.GetProperty("drift").GetProperty("medium").GetInt32(),
            ledger.GetProperty("drift").GetProperty("info").GetInt32()));
        Assert.False(ledger.GetProperty("drift").TryGetProperty("first_changes", out _), "the services listing shows counts only");
        var api = services.GetProperty("services")[1].GetProperty("latest");
        Assert.Equal("a2", api.GetProperty("run_id").GetString());
        Assert.True(api.GetProperty("drift").ValueKind == JsonValueKind.Null, "a latest run without a diff has no drift summary");
        Assert.Equal(JsonValueKind.Null, services.GetProperty("next_cursor").ValueKind);

        var feed = await GetJsonAsync(client, "/v1/orgs/acme/drift");
        Assert.Equal(("2026-11-16", "2026-11-22", "low"), (feed.GetProperty("from").GetString(), feed.GetProperty("to").GetString(),
            feed.GetProperty("min_severity").GetString()));
        Assert.Equal(["l2", "w1", "a1"], RunIds(feed));

        var high = await GetJsonAsync(client, "/v1/orgs/acme/drift?min_severity=high");
        Assert.Equal(["w1", "a1"], RunIds(high));
        var a1 = high.GetProperty("runs")[1];
        Assert.Equal((7, 3), (a1.GetProperty("drift").GetProperty("total").GetInt32(), a1.GetProperty("drift").GetProperty("high").GetInt32()));
        var changes = a1.GetProperty("drift").GetProperty("first_changes").EnumerateArray().ToList();
        Assert.True(changes.Count == 3 && changes.All(change => change.GetProperty("severity").GetString() == "high"),
            "the feed lists only the changes at or above min_severity");
        Assert.Equal(("response_order_total", "source_system_changed", "source_system changed from BillingAPI to LedgerAPI"),
            (changes[0].GetProperty("field_id").GetString(), changes[0].GetProperty("change_type").GetString(), changes[0].GetProperty("message").GetString()));
        Assert.Equal("summary", high.GetProperty("runs")[0].GetProperty("drift").GetProperty("basis").GetString());

        var medium = await GetJsonAsync(client, "/v1/orgs/acme/drift?min_severity=medium");
        Assert.Equal(5, medium.GetProperty("runs")[2].GetProperty("drift").GetProperty("first_changes").GetArrayLength());
        Assert.Equal(["w1", "a1"], RunIds(await GetJsonAsync(client, "/v1/orgs/acme/drift?project=checkout")));
        Assert.Equal(["a1"], RunIds(await GetJsonAsync(client, "/v1/orgs/acme/drift?from=2026-11-19&to=2026-11-20")));

        // Paging: one run a page, newest first, each run once, then no cursor.
        var paged = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 5; page++)
        {
            var answer = await GetJsonAsync(client, "/v1/orgs/acme/drift?limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(RunIds(answer));
            cursor = answer.GetProperty("next_cursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }
        Assert.Equal(["l2", "w1", "a1"], paged);
        var first = await GetJsonAsync(client, "/v1/orgs/acme/services?limit=2");
        var second = await GetJsonAsync(client, "/v1/orgs/acme/services?limit=2&cursor=" + first.GetProperty("next_cursor").GetString());
        Assert.Equal(["checkout/web"], second.GetProperty("services").EnumerateArray().Select(Name));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} must answer 200, was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonBodyAsync();
    }

    public static List<string> RunIds(JsonElement feed) =>
        feed.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!).ToList();

    private static string Name(JsonElement service) => $"{service.GetProperty("project").GetString()}/{service.GetProperty("service").GetString()}";

    /// <summary>Every derived object under the store's root: manifests, latest pointers and the organization-level objects.</summary>
    public static async Task<List<string>> DerivedKeysAsync(IObjectStore store)
    {
        var derived = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync("stricture/v1/", token, 1000, default);
            derived.AddRange(page.Keys.Where(key => key.Contains("/manifests/", StringComparison.Ordinal) || key.EndsWith("/latest.json", StringComparison.Ordinal) ||
                                                    key.Contains("/services/", StringComparison.Ordinal) || key.Contains("/drift/", StringComparison.Ordinal)));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return derived;
    }
}
