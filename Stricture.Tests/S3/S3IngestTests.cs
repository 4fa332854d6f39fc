using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>The whole ingest path on the s3 driver, against a real S3 server.</summary>
public sealed class S3IngestTests : BucketTest
{
    [Fact]
    public async Task An_accepted_post_is_in_the_bucket_at_its_location_with_its_sha256()
    {
        await using var server = IngestServer.Start(S3.IngestSettings(Bucket));
        var response = await server.Client.PostAsync(Posts.Valid(runId: "s3-run", generatedAt: "2026-11-22T10:00:00Z"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonBodyAsync();
        var location = body.GetProperty("location").GetString()!;
        Assert.Equal("stricture/v1/org=acme/project=checkout/service=api/runs/run=s3-run.json", location);

        var stored = await ReadObjectAsync(location);
        Assert.Equal(body.GetProperty("sha256").GetString(), Posts.Sha256(stored));
        var head = await Client.GetObjectMetadataAsync(Bucket, location);
        Assert.Equal(body.GetProperty("sha256").GetString(), head.Metadata[S3ObjectStore.Sha256MetadataKey]);
        Assert.Equal("s3-run", JsonDocument.Parse(stored).RootElement.GetProperty("run_id").GetString());
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "stricture")), "the s3 driver must not write records to disk");
    }

    [Fact]
    public async Task Retries_are_idempotent_across_midnight_and_other_content_is_a_409()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero));
        await using var server = IngestServer.Start(S3.IngestSettings(Bucket), time: clock);
        var first = await (await server.Client.PostAsync(Posts.Valid(runId: "midnight"))).JsonBodyAsync();

        clock.Advance(TimeSpan.FromSeconds(2));
        var retry = await server.Client.PostAsync(Posts.Valid(runId: "midnight"));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var second = await retry.JsonBodyAsync();
        Assert.Equal(first.GetProperty("location").GetString(), second.GetProperty("location").GetString());
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.False(second.GetProperty("created").GetBoolean());

        var changed = Posts.Valid(runId: "midnight");
        changed["summary"] = "different";
        var conflict = await server.Client.PostAsync(changed);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await Problem.AssertAsync(conflict, "run-conflict");
        Assert.Equal(first.GetProperty("location").GetString(), problem.Raw.GetProperty("location").GetString());

        var payloads = await PayloadKeysAsync();
        Assert.Equal([first.GetProperty("location").GetString()!], payloads);
    }

    [Fact]
    public async Task Thirty_two_concurrent_posts_of_one_run_id_leave_exactly_one_object()
    {
        await using var server = IngestServer.Start(S3.IngestSettings(Bucket));
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            var response = await server.Client.PostAsync(Posts.Valid(runId: "s3-race"));
            return (response.StatusCode, Body: await response.JsonBodyAsync());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body.GetProperty("location").GetString()).Distinct());
        Assert.Single(responses.Select(r => r.Body.GetProperty("sha256").GetString()).Distinct());
        Assert.Single(responses, r => r.Body.GetProperty("created").GetBoolean());
        Assert.Single(await PayloadKeysAsync());
    }

    [Fact]
    public async Task Two_server_processes_posting_one_run_id_concurrently_store_it_once()
    {
        using var dataA = new TestDirectory();
        using var dataB = new TestDirectory();
        var environment = S3.IngestEnvironment(Bucket);
        await using var serverA = await ServiceProcess.StartIngestAsync(dataA.Path, environment);
        await using var serverB = await ServiceProcess.StartIngestAsync(dataB.Path, environment);
        using var clientA = new HttpClient { BaseAddress = serverA.BaseAddress };
        using var clientB = new HttpClient { BaseAddress = serverB.BaseAddress };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var response = await (i % 2 == 0 ? clientA : clientB).PostAsync(Posts.Valid(runId: "two-processes"));
            return (response.StatusCode, Body: await response.JsonBodyAsync());
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var location = Assert.Single(results.Select(r => r.Body.GetProperty("location").GetString()).Distinct());
        Assert.Equal([location!], await PayloadKeysAsync());
        Assert.Equal(results[0].Body.GetProperty("sha256").GetString(), Posts.Sha256(await ReadObjectAsync(location!)));
    }

    [Fact]
    public async Task Readiness_reports_the_bucket_reachable()
    {
        await using var server = IngestServer.Start(S3.IngestSettings(Bucket));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_missing_bucket_refuses_start_up_and_names_the_bucket()
    {
        using var data = new TestDirectory();
        var environment = S3.IngestEnvironment("no-such-bucket-here");
        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, environment);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("The bucket 'no-such-bucket-here' does not exist", output);
    }

    [Fact]
    public async Task Wrong_credentials_refuse_start_up_with_a_clear_message()
    {
        using var data = new TestDirectory();
        var environment = new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_STORAGE_DRIVER"] = "s3",
            ["STRICTURE_SERVER_OBJECT_BUCKET"] = Bucket,
            ["ConnectionStrings__minio"] = $"Endpoint={S3.Endpoint};AccessKey=WRONGKEY;SecretKey=wrong-secret",
        };
        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, environment);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("credentials were refused", output);
    }

    private async Task<List<string>> PayloadKeysAsync()
    {
        var listing = await Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket, Prefix = "stricture/" });
        return (listing.S3Objects ?? []).Select(o => o.Key).Where(k => k.Contains("/runs/run=", StringComparison.Ordinal)).ToList();
    }
}
