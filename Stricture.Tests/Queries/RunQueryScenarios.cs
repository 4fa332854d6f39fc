using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Queries;

/// <summary>
/// The read API through a real server and real HTTP, run once per driver (subclasses choose it).
/// The server's clock is fixed at 2026-11-22 12:00 UTC.
/// </summary>
public abstract class RunQueryScenarios : IAsyncLifetime
{
    private const string Runs = "/v1/runs/acme/checkout/api";

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected IngestServer Server { get; private set; } = null!;

    protected HttpClient Client => Server.Client;

    /// <summary>The driver's settings for a fresh, empty store.</summary>
    protected abstract Task<IDictionary<string, string?>> StoreSettingsAsync();

    public async Task InitializeAsync() => Server = IngestServer.Start(await StoreSettingsAsync(), Clock);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Latest_is_the_newest_run_by_generated_at_whatever_the_arrival_order()
    {
        await PostAsync("mid", "2026-11-21T10:00:00Z");
        await PostAsync("newest", "2026-11-22T09:00:00+02:00"); // 07:00Z
        await PostAsync("oldest", "2026-11-20T10:00:00Z");
        await PostAsync("a-tie", "2026-11-22T07:00:00Z");

        var response = await Client.GetAsync($"{Runs}/latest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var envelope = await response.JsonBodyAsync();
        Assert.Equal("newest", envelope.GetProperty("run_id").GetString()); // the same instant as "a-tie": ties go to the greater run_id
        Assert.Equal($"{Runs}/newest", response.Content.Headers.ContentLocation?.OriginalString);
        Assert.True(response.Headers.CacheControl?.NoCache, "the latest run changes: clients must revalidate");
    }

    [Fact]
    public async Task A_date_range_pages_newest_first_across_days_without_repeating_a_run()
    {
        await PostAsync("d1-a", "2026-11-19T08:00:00Z");
        await PostAsync("d3-b", "2026-11-21T18:00:00Z");
        await PostAsync("d2-a", "2026-11-20T08:00:00Z");
        await PostAsync("d3-a", "2026-11-21T08:00:00Z");
        await PostAsync("d1-b", "2026-11-19T18:00:00Z");
        await PostAsync("outside", "2026-11-22T08:00:00Z");

        var seen = new List<string>();
        var url = $"{Runs}?from=2026-11-19&to=2026-11-21&limit=2";
        var pages = 0;
        while (true)
        {
            var page = await GetJsonAsync(url);
            Assert.Equal("2026-11-19", page.GetProperty("from").GetString());
            seen.AddRange(page.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!));
            pages++;
            if (page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null)
            {
                break;
            }
            if (pages == 1)
            {
                await PostAsync("late-arrival", "2026-11-21T20:00:00Z"); // newer than the cursor: not in later pages
            }
            url = $"{Runs}?from=2026-11-19&to=2026-11-21&limit=2&cursor={page.GetProperty("next_cursor").GetString()}";
        }

        Assert.Equal(["d3-b", "d3-a", "d2-a", "d1-b", "d1-a"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_listing_summarises_each_run_and_links_to_it()
    {
        var posted = await PostAsync("summary", "2026-11-22T08:00:00.5+00:00");

        var run = (await GetJsonAsync($"{Runs}?from=2026-11-22&to=2026-11-22")).GetProperty("runs").EnumerateArray().Single();

        Assert.Equal(posted.GetProperty("location").GetString(), run.GetProperty("key").GetString());
        Assert.Equal(posted.GetProperty("sha256").GetString(), run.GetProperty("sha256").GetString());
        Assert.Equal(posted.GetProperty("size").GetInt64(), run.GetProperty("size").GetInt64());
        Assert.Equal("2026-11-22T08:00:00.5000000Z", run.GetProperty("generated_at").GetString());
        Assert.Equal("2026-11-22T12:00:00.0000000Z", run.GetProperty("received_at").GetString());
        Assert.Equal(Posts.Valid()["commit_sha"]!.GetValue<string>(), run.GetProperty("commit_sha").GetString());
        var fetched = await Client.GetAsync(run.GetProperty("href").GetString());
        Assert.Equal(posted.GetProperty("sha256").GetString(), Posts.Sha256(await fetched.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task The_default_range_is_the_last_seven_days()
    {
        await PostAsync("today", "2026-11-22T01:00:00Z");
        await PostAsync("six-days-ago", "2026-11-16T01:00:00Z");
        await PostAsync("seven-days-ago", "2026-11-15T23:00:00Z");

        var page = await GetJsonAsync(Runs);

        Assert.Equal(("2026-11-16", "2026-11-22"), (page.GetProperty("from").GetString(), page.GetProperty("to").GetString()));
        Assert.Equal(["today", "six-days-ago"], page.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()));
    }

    [Fact]
    public async Task By_commit_finds_the_runs_of_a_full_or_abbreviated_sha()
    {
        await PostAsync("x1", "2026-11-20T08:00:00Z", commitSha: "aaaaaaa1111111111111111111111111111111bb");
        await PostAsync("y1", "2026-11-21T08:00:00Z", commitSha: "bbbbbbb2222222222222222222222222222222cc");
        await PostAsync("x2", "2026-11-22T08:00:00Z", commitSha: "aaaaaaa1111111111111111111111111111111bb");

        var abbreviated = await GetJsonAsync($"{Runs}?commit=aaaaaaa");
        var full = await GetJsonAsync($"{Runs}?commit=bbbbbbb2222222222222222222222222222222cc");

        Assert.Equal(["x2", "x1"], abbreviated.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()));
        Assert.Equal(["y1"], full.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()));
    }

    [Fact]
    public async Task A_run_by_id_is_its_stored_envelope_with_an_etag_304_and_gzip()
    {
        var posted = await PostAsync("by-id", "2026-11-21T08:00:00Z");
        var sha256 = posted.GetProperty("sha256").GetString()!;

        var response = await Client.GetAsync($"{Runs}/by-id");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha256, Posts.Sha256(bytes));
        Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.ToString());
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"{Runs}/by-id");
        revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha256}\""));
        var notModified = await Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"{Runs}/by-id");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{new string('0', 64)}\""));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(stale)).StatusCode);

        using var gzipped = new HttpRequestMessage(HttpMethod.Get, $"{Runs}/by-id");
        gzipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var compressed = await Client.SendAsync(gzipped);
        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        Assert.Equal($"W/\"{sha256}\"", compressed.Headers.ETag?.ToString());
        await using var gzip = new GZipStream(await compressed.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed);
        Assert.Equal(bytes, decompressed.ToArray());

        // The weak tag of the gzip representation revalidates too (If-None-Match compares weakly).
        using var weak = new HttpRequestMessage(HttpMethod.Get, $"{Runs}/by-id");
        weak.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha256}\"", isWeak: true));
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(weak)).StatusCode);
    }

    [Fact]
    public async Task Unknown_services_and_runs_are_404_problems()
    {
        await PostAsync("known", "2026-11-22T08:00:00Z");

        await Problem.AssertAsync(await Client.GetAsync("/v1/runs/acme/checkout/nope/latest"), "service-not-found");
        await Problem.AssertAsync(await Client.GetAsync("/v1/runs/other-org/checkout/api"), "service-not-found");
        await Problem.AssertAsync(await Client.GetAsync($"{Runs}/missing-run"), "run-not-found");
        await Problem.AssertAsync(await Client.GetAsync("/v1/runs/acme/other/api/known"), "run-not-found");
    }

    [Theory]
    [InlineData("/v1/runs/Acme/checkout/api/latest", "invalid-identifier", "organization")]
    [InlineData("/v1/runs/acme/.hidden/api", "invalid-identifier", "project")]
    [InlineData("/v1/runs/acme/checkout/api/Run%2F1", "invalid-identifier", "run_id")]
    [InlineData("/v1/runs/acme/checkout/api?from=2026-11-31", "invalid-date", "from")]
    [InlineData("/v1/runs/acme/checkout/api?to=22-11-2026", "invalid-date", "to")]
    [InlineData("/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-21", "invalid-range", "from")]
    [InlineData("/v1/runs/acme/checkout/api?from=2026-01-01&to=2026-11-22", "range-too-long", "to")]
    [InlineData("/v1/runs/acme/checkout/api?limit=0", "invalid-limit", "limit")]
    [InlineData("/v1/runs/acme/checkout/api?limit=1001", "invalid-limit", "limit")]
    [InlineData("/v1/runs/acme/checkout/api?commit=abcdefg", "invalid-commit", "commit")]
    [InlineData("/v1/runs/acme/checkout/api?commit=abc", "invalid-commit", "commit")]
    [InlineData("/v1/runs/acme/checkout/api?cursor=bm90LWEtY3Vyc29y", "invalid-cursor", "cursor")]
    [InlineData("/v1/runs/acme/checkout/api?form=2026-11-01", "unknown-parameter", "form")]
    [InlineData("/v1/runs/acme/checkout/api?limit=1&limit=2", "invalid-parameter", "limit")]
    public async Task Bad_identifiers_dates_and_parameters_are_400_problems(string url, string code, string field)
    {
        await PostAsync("known", "2026-11-22T08:00:00Z");

        var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, code, field);
    }

    protected async Task<JsonElement> PostAsync(string runId, string generatedAt, string? commitSha = null)
    {
        var body = Posts.Valid(runId: runId, generatedAt: generatedAt);
        if (commitSha is not null)
        {
            body["commit_sha"] = commitSha;
        }
        var response = await Client.PostAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.JsonBodyAsync();
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonBodyAsync();
    }
}

/// <summary>The read API on the filesystem driver.</summary>
public sealed class FileSystemRunQueryTests : RunQueryScenarios
{
    protected override Task<IDictionary<string, string?>> StoreSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());
}

/// <summary>The read API on the s3 driver, against the real S3 server.</summary>
public sealed class S3RunQueryTests : RunQueryScenarios
{
    protected override async Task<IDictionary<string, string?>> StoreSettingsAsync()
    {
        var s3 = await S3TestServer.GetAsync();
        return s3.IngestSettings(await s3.CreateBucketAsync());
    }
}
