using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Commits;

/// <summary>
/// One organization's runs of a few commits, and what the queries by commit must answer for them:
/// a monorepo commit that touched three services in two projects, one of its runs posted with a
/// generated_at far older than any date range allows; a second commit whose SHA starts with the same
/// four characters; an unrelated commit; and the same commit in another organization, which must
/// never show. Shared by the filesystem and S3 tests, which run it through the real HTTP pipeline.
/// </summary>
public static class CommitScenario
{
    /// <summary>The day the server's clock says it is.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public const string Monorepo = "abcd1234ef567890abcd1234ef567890abcd1234";
    public const string SamePrefix = "abcd9999000011112222333344445555666677aa";
    public const string Other = "fedc0000111122223333444455556666777788bb";

    public static readonly (string Org, string Project, string Service, string RunId, string GeneratedAt, string Commit)[] Runs =
    [
        ("acme", "checkout", "api", "c1", "2025-03-01T10:00:00Z", Monorepo),
        ("acme", "checkout", "web", "c2", "2026-11-20T10:00:00Z", Monorepo),
        ("acme", "billing", "ledger", "c3", "2026-11-21T10:00:00Z", Monorepo),
        ("acme", "checkout", "api", "c4", "2026-11-22T09:00:00Z", SamePrefix),
        ("acme", "checkout", "api", "c5", "2026-11-22T10:00:00Z", Other),
        ("globex", "x", "y", "g1", "2026-11-22T10:00:00Z", Monorepo),
    ];

    /// <summary>The queries whose answers a rebuild must reproduce exactly.</summary>
    public static readonly string[] Queries =
    [
        $"/v1/commits/{Monorepo}?organization=acme",
        "/v1/commits/abcd?organization=acme",
        "/v1/commits/ABCD1234?organization=acme",
        "/v1/commits/abcd?organization=acme&project=checkout",
        "/v1/runs/acme/checkout/api?commit=abcd1234",
        "/v1/runs/acme/checkout/api?commit=abcd9999",
    ];

    public static JsonObject Post((string Org, string Project, string Service, string RunId, string GeneratedAt, string Commit) run)
    {
        var body = Posts.Valid(runId: run.RunId, service: run.Service, generatedAt: run.GeneratedAt);
        body["organization"] = run.Org;
        body["project"] = run.Project;
        body["commit_sha"] = run.Commit;
        return body;
    }

    public static async Task PostAllAsync(HttpClient client)
    {
        foreach (var run in Runs)
        {
            var response = await client.PostAsync(Post(run));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"posting {run.RunId} must be accepted, was {(int)response.StatusCode}");
        }
    }

    /// <summary>Asserts what the queries by commit answer for <see cref="Runs"/>.</summary>
    public static async Task AssertAnswersAsync(HttpClient client)
    {
        var monorepo = await GetJsonAsync(client, $"/v1/commits/{Monorepo}?organization=acme");
        Assert.True(RunIds(monorepo).SequenceEqual(["c3", "c2", "c1"]),
            $"every service's run of the commit, newest first, the one of 2025 included; got {string.Join(", ", RunIds(monorepo))}");
        var c3 = monorepo.GetProperty("runs")[0];
        Assert.Equal(("billing", "ledger", Monorepo, "/v1/runs/acme/billing/ledger/c3"),
            (c3.GetProperty("project").GetString(), c3.GetProperty("service").GetString(), c3.GetProperty("commit_sha").GetString(), c3.GetProperty("href").GetString()));
        Assert.Matches("^[0-9a-f]{64}$", c3.GetProperty("sha256").GetString());
        Assert.Equal(("acme", Monorepo, JsonValueKind.Null), (monorepo.GetProperty("organization").GetString(), monorepo.GetProperty("commit").GetString(),
            monorepo.GetProperty("next_cursor").ValueKind));

        var prefix = await GetJsonAsync(client, "/v1/commits/abcd?organization=acme");
        Assert.True(RunIds(prefix).SequenceEqual(["c4", "c3", "c2", "c1"]), "a four-character prefix finds the runs of both commits it abbreviates");
        Assert.Equal([SamePrefix, Monorepo, Monorepo, Monorepo], prefix.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("commit_sha").GetString()));
        Assert.True(RunIds(await GetJsonAsync(client, "/v1/commits/ABCD1234?organization=acme")).SequenceEqual(["c3", "c2", "c1"]),
            "an upper-case abbreviation matches as lower case");
        Assert.True(RunIds(await GetJsonAsync(client, "/v1/commits/abcd?organization=acme&project=checkout")).SequenceEqual(["c4", "c2", "c1"]),
            "project= keeps one project");
        Assert.Empty(RunIds(await GetJsonAsync(client, "/v1/commits/0000?organization=acme")));

        var service = await GetJsonAsync(client, "/v1/runs/acme/checkout/api?commit=abcd1234");
        Assert.True(RunIds(service).SequenceEqual(["c1"]), "a commit without dates searches all of the service's history");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (service.GetProperty("from").ValueKind, service.GetProperty("to").ValueKind));
        Assert.Equal(Monorepo, service.GetProperty("runs")[0].GetProperty("commit_sha").GetString());
        Assert.Empty(RunIds(await GetJsonAsync(client, "/v1/runs/acme/checkout/api?commit=abcd1234&from=2026-11-16")));

        // Paging: one run a page, newest first, each run once, then no cursor.
        var paged = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 6; page++)
        {
            var answer = await GetJsonAsync(client, "/v1/commits/abcd?organization=acme&limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(RunIds(answer));
            cursor = answer.GetProperty("next_cursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }
        Assert.Equal(["c4", "c3", "c2", "c1"], paged);
    }

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

    /// <summary>
    /// The entries of every compacted commit shard, by key, without the header line (which records how
    /// many segments were folded in, and a rebuild folds none): what a rebuild must write byte for byte.
    /// </summary>
    public static async Task<SortedDictionary<string, string>> CompactedShardsAsync(IObjectStore store)
    {
        var shards = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await CommitKeysAsync(store))
        {
            if (!key.Contains("/seg=", StringComparison.Ordinal) && await store.ReadAsync(key, default) is { } stored)
            {
                var text = Encoding.UTF8.GetString(stored.Content.Span);
                shards[key] = text[(text.IndexOf('\n') + 1)..];
            }
        }
        return shards;
    }

    /// <summary>Every object of the commit index (compacted shards and segments) in every organization.</summary>
    public static async Task<List<string>> CommitKeysAsync(IObjectStore store)
    {
        var found = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync("stricture/v1/", token, 1000, default);
            found.AddRange(page.Keys.Where(key => key.Contains("/commits/sha=", StringComparison.Ordinal)));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return found;
    }

    public static Task ReconcileAsync(IObjectStore store)
    {
        var keys = new RecordKeys("stricture");
        var catalog = new RunCatalog(store, keys, new StorageTelemetry(new TestMeterFactory()), compactInBackground: false);
        return new CatalogReconciler(store, keys, catalog, NullLogger<CatalogReconciler>.Instance).ReconcileAsync(default);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} must answer 200, was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonBodyAsync();
    }

    public static List<string> RunIds(JsonElement answer) =>
        answer.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!).ToList();
}
