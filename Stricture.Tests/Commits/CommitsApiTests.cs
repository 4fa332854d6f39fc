using System.Net;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Filesystem;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Commits;

/// <summary>The runs of a commit over all history, across an organization and within a service, through the real HTTP pipeline on the filesystem driver.</summary>
public sealed class CommitsApiTests
{
    [Fact]
    public async Task A_commit_finds_every_run_of_it_across_services_and_all_history_newest_first_and_paged()
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(CommitScenario.Now));
        await CommitScenario.PostAllAsync(server.Client);

        await CommitScenario.AssertAnswersAsync(server.Client);
    }

    [Fact]
    public async Task The_readme_example_finds_its_run_although_it_was_generated_long_before_the_default_range()
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        var body = Posts.Valid(runId: "ci-20261122-0042", service: "payments-api", generatedAt: "2026-11-22T09:30:00Z");
        body["commit_sha"] = "3f9a1c2e7b4d";
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(body)).StatusCode);

        var runs = await CommitScenario.GetJsonAsync(server.Client, "/v1/runs/acme/checkout/payments-api?commit=3f9a1c2");

        Assert.True(CommitScenario.RunIds(runs).SequenceEqual(["ci-20261122-0042"]), "the README's query must find the run it posted, months later");
    }

    [Fact]
    public async Task A_post_adds_one_segment_to_its_commit_shard_however_many_runs_the_shard_already_holds()
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(CommitScenario.Now));
        var store = new FileSystemObjectStore(server.DataDirectory);
        var counts = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var body = Posts.Valid(runId: $"r{i:D2}", service: $"svc-{i % 4}", generatedAt: "2026-11-22T10:00:00Z");
            body["commit_sha"] = $"abc{i:D4}" + new string('0', 33);
            var before = Segments(await CommitScenario.CommitKeysAsync(store));
            Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(body)).StatusCode);
            counts.Add(Segments(await CommitScenario.CommitKeysAsync(store)) - before);
        }

        Assert.True(counts.All(count => count == 1), $"each post must add exactly one segment to its shard; added {string.Join(", ", counts)}");
        var all = await CommitScenario.GetJsonAsync(server.Client, "/v1/commits/abc0?organization=acme&limit=500");
        Assert.Equal(40, CommitScenario.RunIds(all).Count);
    }

    [Fact]
    public async Task A_project_token_sees_only_its_project_and_another_organizations_token_is_refused()
    {
        var checkout = ScopedTestToken.Valid("checkout-ci", "acme/checkout");
        var globex = ScopedTestToken.Valid("globex-ci", "globex/*");
        var writer = ScopedTestToken.Valid("writer", "acme/*", "globex/*");
        using var file = new TokenFile(checkout, globex, writer);
        await using var server = IngestServer.Start(
            new Dictionary<string, string?> { ["STRICTURE_SERVER_AUTH_MODE"] = "token", ["STRICTURE_SERVER_TOKEN_FILE"] = file.Path },
            time: new FakeTimeProvider(CommitScenario.Now));
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", writer.Secret);
        await CommitScenario.PostAllAsync(server.Client);

        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", checkout.Secret);
        var visible = await CommitScenario.GetJsonAsync(server.Client, "/v1/commits/abcd?organization=acme");
        Assert.True(CommitScenario.RunIds(visible).SequenceEqual(["c4", "c2", "c1"]), "a project token must see its project's runs only");
        var billing = await server.Client.GetAsync("/v1/commits/abcd?organization=acme&project=billing");
        Assert.Equal(HttpStatusCode.Forbidden, billing.StatusCode);
        Assert.Equal("acme/billing", (await Problem.AssertAsync(billing, "missing-scope")).Raw.GetProperty("scope").GetString());

        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", globex.Secret);
        var foreign = await server.Client.GetAsync("/v1/commits/abcd?organization=acme");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("acme/*", (await Problem.AssertAsync(foreign, "missing-scope")).Raw.GetProperty("scope").GetString());
        Assert.True(CommitScenario.RunIds(await CommitScenario.GetJsonAsync(server.Client, "/v1/commits/abcd?organization=globex")).SequenceEqual(["g1"]),
            "globex's token must see globex's run of the commit");

        server.Client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/v1/commits/abcd?organization=acme")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/commits/abc?organization=acme", "invalid-commit", "sha")]
    [InlineData("/v1/commits/abcg?organization=acme", "invalid-commit", "sha")]
    [InlineData("/v1/commits/abcd", "missing-parameter", "organization")]
    [InlineData("/v1/commits/abcd?organization=Acme", "invalid-identifier", "organization")]
    [InlineData("/v1/commits/abcd?organization=acme&project=Checkout", "invalid-identifier", "project")]
    [InlineData("/v1/commits/abcd?organization=acme&limit=0", "invalid-limit", "limit")]
    [InlineData("/v1/commits/abcd?organization=acme&cursor=bm9wZQ", "invalid-cursor", "cursor")]
    [InlineData("/v1/commits/abcd?organization=acme&service=api", "unknown-parameter", "service")]
    [InlineData("/v1/commits/abcd?organization=acme&organization=globex", "invalid-parameter", "organization")]
    public async Task A_bad_commit_query_is_a_400_that_names_the_parameter(string path, string code, string field)
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(CommitScenario.Now));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, code, field);
    }

    [Fact]
    public async Task After_the_commit_index_is_deleted_and_rebuilt_by_reconcile_its_shards_and_answers_are_byte_identical()
    {
        using var data = new TestDirectory();
        Dictionary<string, string> before;
        // 1. Post through a server and record the answers.
        await using (var server = IngestServer.Start(time: new FakeTimeProvider(CommitScenario.Now), dataDirectory: data.Path))
        {
            await CommitScenario.PostAllAsync(server.Client);
            before = await CommitScenario.AnswersAsync(server.Client);
        }

        // 2. With the server stopped, fold every segment in (reconcile on the intact store) and keep the compacted shards.
        var store = new FileSystemObjectStore(data.Path);
        await CommitScenario.ReconcileAsync(store);
        var built = await CommitScenario.CompactedShardsAsync(store);
        Assert.True(built.Count >= 2, "the scenario's commits must fill at least two shards (abc, fed) in acme, and one in globex");

        // 3. Delete the whole commit index and rebuild it from the payloads alone.
        foreach (var key in await CommitScenario.CommitKeysAsync(store))
        {
            File.Delete(Path.Combine(data.Path, key));
        }
        await CommitScenario.ReconcileAsync(store);

        // 4. The same shards, byte for byte, and the same answers from a restarted server.
        var rebuilt = await CommitScenario.CompactedShardsAsync(store);
        Assert.Equal(built.Keys, rebuilt.Keys);
        foreach (var (key, entries) in built)
        {
            Assert.True(entries == rebuilt[key], $"the rebuilt shard {key} must hold the same bytes:\n{entries}\n{rebuilt[key]}");
        }
        await using (var server = IngestServer.Start(time: new FakeTimeProvider(CommitScenario.Now), dataDirectory: data.Path))
        {
            var after = await CommitScenario.AnswersAsync(server.Client);
            foreach (var query in CommitScenario.Queries)
            {
                Assert.True(before[query] == after[query], $"{query} must answer the same after the rebuild:\n{before[query]}\n{after[query]}");
            }
            await CommitScenario.AssertAnswersAsync(server.Client);
        }
    }

    private static int Segments(List<string> keys) => keys.Count(key => key.Contains("/seg=", StringComparison.Ordinal));
}
