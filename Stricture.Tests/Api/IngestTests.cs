using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>Accepted posts: what is stored, where, and what a retry or a competing post gets.</summary>
public sealed class IngestTests
{
    [Fact]
    public async Task An_accepted_post_is_stored_at_its_canonical_key_with_the_returned_sha256()
    {
        await using var server = IngestServer.Start();
        var response = await server.Client.PostAsync(Posts.Valid(runId: "run-1", generatedAt: "2026-03-04T23:30:00-02:00"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonBodyAsync();
        Assert.True(body.GetProperty("accepted").GetBoolean());
        Assert.Equal("run-1", body.GetProperty("run_id").GetString());
        // One object per run, at a key of the run id alone.
        const string expectedKey = "stricture/v1/org=acme/project=checkout/service=api/runs/run=run-1.json";
        Assert.Equal(expectedKey, body.GetProperty("location").GetString());
        // 23:30 at -02:00 is 01:30 UTC the next day: the run is listed under the UTC date.
        Assert.Equal(["run-1"], await ListedRunIdsAsync(server, "2026-03-05"));

        var stored = await File.ReadAllBytesAsync(server.PathOf(expectedKey));
        Assert.Equal(Posts.Sha256(stored), body.GetProperty("sha256").GetString());
        Assert.Equal(stored.Length, body.GetProperty("size").GetInt64());

        var envelope = JsonDocument.Parse(stored).RootElement;
        Assert.Equal("stricture.run/v1", envelope.GetProperty("schema").GetString());
        Assert.Equal("acme", envelope.GetProperty("organization").GetString());
        Assert.Equal("run-1", envelope.GetProperty("run_id").GetString());
        Assert.Equal("2026-03-04T23:30:00-02:00", envelope.GetProperty("generated_at").GetString());
        Assert.Equal("lineage-export", envelope.GetProperty("artifact").GetProperty("kind").GetString());
        Assert.Equal("# Lineage\nNo changes.", envelope.GetProperty("summary").GetString());
        Assert.Equal("ci", envelope.GetProperty("metadata").GetProperty("pipeline").GetString());
        Assert.True(DateTimeOffset.TryParse(envelope.GetProperty("received_at").GetString(), out _));
    }

    [Fact]
    public async Task Without_generated_at_the_partition_is_the_date_received()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = IngestServer.Start(time: clock);
        var body = await (await server.Client.PostAsync(Posts.Valid(runId: "r"))).JsonBodyAsync();
        Assert.EndsWith("/runs/run=r.json", body.GetProperty("location").GetString());
        Assert.Equal(["r"], await ListedRunIdsAsync(server, "2026-07-01"));
    }

    [Fact]
    public async Task A_missing_run_id_is_generated_and_ids_sort_by_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = IngestServer.Start(time: clock);
        var first = (await (await server.Client.PostAsync(Posts.Valid())).JsonBodyAsync()).GetProperty("run_id").GetString()!;
        clock.Advance(TimeSpan.FromMilliseconds(5));
        var second = (await (await server.Client.PostAsync(Posts.Valid())).JsonBodyAsync()).GetProperty("run_id").GetString()!;

        Assert.NotEqual(first, second);
        Assert.True(string.CompareOrdinal(first, second) < 0, $"generated ids must sort by time: {first} then {second}");
        Assert.Matches("^[0-9a-f]{32}$", first);
    }

    [Fact]
    public async Task An_identical_retry_returns_the_same_run_id_location_and_sha256()
    {
        await using var server = IngestServer.Start();
        var first = await (await server.Client.PostAsync(Posts.Valid(runId: "retry-me"))).JsonBodyAsync();
        var retry = await server.Client.PostAsync(Posts.Valid(runId: "retry-me"));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var second = await retry.JsonBodyAsync();
        Assert.Equal(first.GetProperty("location").GetString(), second.GetProperty("location").GetString());
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Single(PayloadFiles(server));
    }

    [Fact]
    public async Task Same_content_means_equal_after_whitespace_escapes_and_top_level_order()
    {
        await using var server = IngestServer.Start();
        const string compact = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"run_id\":\"r\",\"artifact\":{\"a\":\"A\",\"b\":[1,2]}}";
        const string reformatted = "{ \"artifact\" : { \"a\" : \"\\u0041\" ,\n \"b\" : [ 1 , 2 ] },\n \"service\":\"s\", \"run_id\":\"r\", \"project\":\"p\", \"organization\":\"acme\" }";
        const string reordered = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"run_id\":\"r\",\"artifact\":{\"b\":[1,2],\"a\":\"A\"}}";

        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(compact)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(reformatted)).StatusCode);
        // Member order inside the artifact is content: that is a different post.
        Assert.Equal(HttpStatusCode.Conflict, (await server.Client.PostAsync(reordered)).StatusCode);
    }

    [Fact]
    public async Task A_retry_after_midnight_utc_returns_the_original_location()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero));
        await using var server = IngestServer.Start(time: clock);
        var first = await (await server.Client.PostAsync(Posts.Valid(runId: "late-run"))).JsonBodyAsync();

        clock.Advance(TimeSpan.FromSeconds(2)); // now 2026-11-23
        var retry = await server.Client.PostAsync(Posts.Valid(runId: "late-run"));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var second = await retry.JsonBodyAsync();
        Assert.Equal(first.GetProperty("location").GetString(), second.GetProperty("location").GetString());
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.Single(PayloadFiles(server));
        // Listed once, under the day it was first received.
        Assert.Equal(["late-run"], await ListedRunIdsAsync(server, "2026-11-22"));
        Assert.Empty(await ListedRunIdsAsync(server, "2026-11-23"));
    }

    [Fact]
    public async Task The_same_run_id_with_other_content_is_a_409_naming_the_existing_location()
    {
        await using var server = IngestServer.Start();
        var original = await (await server.Client.PostAsync(Posts.Valid(runId: "taken"))).JsonBodyAsync();
        var storedBefore = await File.ReadAllBytesAsync(server.PathOf(original.GetProperty("location").GetString()!));

        var changed = Posts.Valid(runId: "taken");
        changed["summary"] = "something else";
        var response = await server.Client.PostAsync(changed);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Problem.AssertAsync(response, "run-conflict");
        Assert.Equal(original.GetProperty("location").GetString(), problem.Raw.GetProperty("location").GetString());
        Assert.Contains(original.GetProperty("location").GetString()!, problem.Detail);
        Assert.Equal(storedBefore, await File.ReadAllBytesAsync(server.PathOf(original.GetProperty("location").GetString()!)));
    }

    [Fact]
    public async Task Thirty_two_concurrent_posts_of_one_new_run_id_leave_exactly_one_record()
    {
        await using var server = IngestServer.Start();
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            // Every fourth caller sends other content: only callers whose content won may get 202.
            var body = Posts.Valid(runId: "contested");
            body["summary"] = i % 4 == 3 ? $"variant {i}" : "common";
            var response = await server.Client.PostAsync(body);
            return (Summary: body["summary"]!.GetValue<string>(), response.StatusCode, Body: await response.JsonBodyAsync());
        }));

        var payloads = PayloadFiles(server);
        Assert.Single(payloads);
        var stored = await File.ReadAllBytesAsync(payloads[0]);
        var storedSummary = JsonDocument.Parse(stored).RootElement.GetProperty("summary").GetString();
        foreach (var (summary, status, body) in results)
        {
            Assert.EndsWith("/runs/run=contested.json", body.GetProperty("location").GetString());
            if (summary == storedSummary)
            {
                Assert.Equal(HttpStatusCode.Accepted, status);
                Assert.Equal(Posts.Sha256(stored), body.GetProperty("sha256").GetString());
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, status);
            }
        }
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Accepted && r.Body.GetProperty("created").GetBoolean()));
    }

    [Fact]
    public async Task Optional_fields_may_be_null_or_absent()
    {
        await using var server = IngestServer.Start();
        var json = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{},\"diff\":null,\"summary\":null,\"metadata\":null,\"run_id\":null,\"commit_sha\":null,\"generated_at\":null}";
        var response = await server.Client.PostAsync(json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf((await response.JsonBodyAsync()).GetProperty("location").GetString()!))).RootElement;
        Assert.False(stored.TryGetProperty("diff", out _));
        Assert.False(stored.TryGetProperty("summary", out _));
    }

    [Fact]
    public async Task A_diff_and_unicode_text_are_kept_as_sent()
    {
        await using var server = IngestServer.Start();
        var body = Posts.Valid(runId: "unicode");
        body["diff"] = new JsonObject { ["added"] = new JsonArray("naïve", "日本", "emoji 🚀"), ["n"] = JsonValue.Create(1.50m) };
        body["summary"] = "Ünïcödé \"quoted\" \\ back\nslash";
        var response = await server.Client.PostAsync(body);
        var stored = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf((await response.JsonBodyAsync()).GetProperty("location").GetString()!))).RootElement;
        Assert.Equal("emoji 🚀", stored.GetProperty("diff").GetProperty("added")[2].GetString());
        Assert.Equal("1.50", stored.GetProperty("diff").GetProperty("n").GetRawText());
        Assert.Equal("Ünïcödé \"quoted\" \\ back\nslash", stored.GetProperty("summary").GetString());
    }

    /// <summary>Every stored run's object: records (one per run), and payloads of the dated layout, which must never appear.</summary>
    private static List<string> PayloadFiles(IngestServer server) =>
        Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "stricture"), "*.json", SearchOption.AllDirectories)
            .Where(path => path.Contains("/runs/run=", StringComparison.Ordinal) || path.EndsWith("/payload.json", StringComparison.Ordinal))
            .ToList();

    /// <summary>The run ids the read API lists for acme/checkout/api on one day (none when the service has no runs).</summary>
    private static async Task<List<string>> ListedRunIdsAsync(IngestServer server, string date)
    {
        using var response = await server.Client.GetAsync($"v1/runs/acme/checkout/api?from={date}&to={date}");
        return response.StatusCode == HttpStatusCode.NotFound
            ? []
            : (await response.JsonBodyAsync()).GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!).ToList();
    }
}
