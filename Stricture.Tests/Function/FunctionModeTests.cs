using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Function;

/// <summary>
/// The built ingest binary as a Lambda function: a real process started with AWS_LAMBDA_RUNTIME_API
/// pointing at a Runtime API on loopback, fed HTTP API (payload 2.0) events as a function URL sends
/// them, storing in the real S3 server.
/// </summary>
public sealed class FunctionModeTests : IAsyncLifetime
{
    private const string Token = "function-token-0123456789abcdef";

    private S3TestServer _s3 = null!;
    private string _bucket = null!;
    private AmazonS3Client _client = null!;
    private TestLambdaRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3TestServer.GetAsync();
        _bucket = await _s3.CreateBucketAsync();
        _client = _s3.CreateClient();
        _runtime = await TestLambdaRuntime.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _runtime.DisposeAsync();
    }

    private Dictionary<string, string> Settings(string? bucket = null) => new(_s3.IngestEnvironment(bucket ?? _bucket))
    {
        ["STRICTURE_SERVER_AUTH_MODE"] = "token",
        ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
    };

    private async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, string stage = "$default")
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", Token);
        var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(request, stage));
        Assert.True(reply.Error is null, $"the function reported an invocation error: {reply.Error?.Body}");
        return HttpApiEvents.ToResponse(reply.Response!);
    }

    private static HttpRequestMessage Post(System.Text.Json.Nodes.JsonNode body) =>
        new(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(body) };

    [Fact]
    public async Task A_post_through_a_function_url_event_is_stored_in_the_bucket_and_read_back()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());

        var response = await InvokeAsync(Post(Posts.Valid(runId: "fn-run", generatedAt: "2026-11-22T10:00:00Z")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonBodyAsync();
        var location = body.GetProperty("location").GetString()!;
        Assert.Equal("stricture/v1/org=acme/project=checkout/service=api/runs/run=fn-run.json", location);
        var stored = await ReadObjectAsync(location);
        Assert.Equal(body.GetProperty("sha256").GetString(), Posts.Sha256(stored));

        var read = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/fn-run"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(stored, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{Posts.Sha256(stored)}\"", read.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task A_gzip_response_travels_base64_and_decodes_to_the_stored_bytes()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());
        var location = (await (await InvokeAsync(Post(Posts.Valid(runId: "fn-gzip", generatedAt: "2026-11-22T10:00:00Z")))).JsonBodyAsync())
            .GetProperty("location").GetString()!;

        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/fn-gzip");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(WithToken(request)));

        var document = JsonDocument.Parse(reply.Response!).RootElement;
        Assert.True(document.GetProperty("isBase64Encoded").GetBoolean(), "a gzip body must travel base64");
        Assert.Equal("gzip", document.GetProperty("headers").GetProperty("Content-Encoding").GetString());
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(document.GetProperty("body").GetString()!)), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        Assert.Equal(await ReadObjectAsync(location), plain.ToArray());
    }

    [Fact]
    public async Task A_gzip_post_arrives_base64_and_is_stored()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Posts.Valid(runId: "fn-gzip-post").ToJsonString()));
        }
        var content = Posts.Raw(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");

        var response = await InvokeAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = content });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("fn-gzip-post", (await response.JsonBodyAsync()).GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task A_run_too_large_for_a_lambda_response_is_a_problem_response_and_gzip_still_reads_it()
    {
        // 7 MB of artifact: stored (Stricture's own limit is 10 MiB; Lambda caps requests at 6 MB, but a
        // server on the same bucket takes such posts), yet too large to leave the function as text.
        await using var function = FunctionProcess.Start(_runtime, Settings());
        var body = Posts.Valid(runId: "fn-large", generatedAt: "2026-11-22T10:00:00Z");
        body["artifact"]!["nodes"] = new System.Text.Json.Nodes.JsonArray(
            Enumerable.Range(0, 70_000).Select(i => (System.Text.Json.Nodes.JsonNode?)$"node-{i:D6}-{new string('x', 80)}").ToArray());
        Assert.Equal(HttpStatusCode.Accepted, (await InvokeAsync(Post(body))).StatusCode);

        var plain = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/fn-large"));
        var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/fn-large");
        gzipRequest.Headers.AcceptEncoding.ParseAdd("gzip");
        var gzip = await InvokeAsync(gzipRequest);

        Assert.Equal(HttpStatusCode.InternalServerError, plain.StatusCode);
        var problem = await Problem.AssertAsync(plain, "response-too-large");
        Assert.Contains("Accept-Encoding: gzip", problem.Detail);
        Assert.Equal("no-store", plain.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
        Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
        Assert.False(function.HasExited, "an oversized response must not end the function");
    }

    [Fact]
    public async Task An_api_gateway_stage_prefix_is_not_part_of_the_route()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());

        var response = await InvokeAsync(Post(Posts.Valid(runId: "fn-stage")), stage: "prod");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_runs_browser_is_off_in_function_mode_unless_turned_on()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());

        var response = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/ui/"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Problem.AssertAsync(response, "ui-disabled");
    }

    [Fact]
    public async Task Errors_inside_an_invocation_are_problem_responses_and_the_function_keeps_serving()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());
        var body = Posts.Valid();
        body["colour"] = "blue";

        var rejected = await InvokeAsync(Post(body));
        var unauthenticated = await InvokeAsync(WithToken(Post(Posts.Valid()), "wrong-token-0123456789abcdef"));
        var accepted = await InvokeAsync(Post(Posts.Valid(runId: "fn-after-errors")));

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        await Problem.AssertAsync(rejected, "unknown-field", "colour");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.StartsWith("Bearer", unauthenticated.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task An_event_that_is_not_an_http_api_request_is_an_invocation_error_and_the_function_keeps_serving()
    {
        await using var function = FunctionProcess.Start(_runtime, Settings());

        var scheduled = await _runtime.InvokeAsync("""{"version":"0","source":"aws.events","detail-type":"Scheduled Event","detail":{}}"""u8.ToArray());
        var restApi = await _runtime.InvokeAsync("""{"resource":"/","path":"/healthz","httpMethod":"GET","headers":{}}"""u8.ToArray());
        var noMethod = await _runtime.InvokeAsync("""{"version":"2.0","rawPath":"/healthz","requestContext":{}}"""u8.ToArray());
        var notJson = await _runtime.InvokeAsync("not json"u8.ToArray());
        var healthz = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"));

        Assert.NotNull(scheduled.Error);
        Assert.Equal("Runtime.UnsupportedEvent", scheduled.Error.ErrorTypeHeader);
        Assert.Contains("2.0", scheduled.Error.ErrorMessage);
        Assert.NotNull(restApi.Error);
        Assert.NotNull(noMethod.Error);
        Assert.NotNull(notJson.Error);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.False(function.HasExited, "a bad event must not end the function");
    }

    [Theory]
    [InlineData("fs", "temporary")]
    [InlineData("mirror", "replicator")]
    public async Task A_local_disk_driver_is_refused_through_the_init_error_call(string driver, string why)
    {
        var settings = Settings();
        settings["STRICTURE_SERVER_STORAGE_DRIVER"] = driver;
        await using var function = FunctionProcess.Start(_runtime, settings);

        var initError = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60));
        var exitCode = await function.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Equal("Runtime.ConfigInvalid", initError.ErrorTypeHeader);
        Assert.Contains($"STRICTURE_SERVER_STORAGE_DRIVER={driver}", initError.ErrorMessage);
        Assert.Contains("function mode", initError.ErrorMessage);
        Assert.Contains(why, initError.ErrorMessage);
        Assert.Equal(0, _runtime.NextCalls);
    }

    [Fact]
    public async Task The_default_driver_is_refused_too_and_the_message_says_it_is_the_default()
    {
        var settings = new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
        };
        await using var function = FunctionProcess.Start(_runtime, settings);

        var initError = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, await function.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("STRICTURE_SERVER_STORAGE_DRIVER=fs (the default)", initError.ErrorMessage);
    }

    [Fact]
    public async Task Auth_mode_none_is_refused_unless_explicitly_allowed()
    {
        var settings = Settings();
        settings["STRICTURE_SERVER_AUTH_MODE"] = "none";
        await using (var refused = FunctionProcess.Start(_runtime, settings))
        {
            var initError = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, await refused.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("STRICTURE_SERVER_AUTH_MODE=none", initError.ErrorMessage);
            Assert.Contains("STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH=true", initError.ErrorMessage);
        }

        settings["STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH"] = "true";
        await using var allowed = FunctionProcess.Start(_runtime, settings);
        var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(Post(Posts.Valid(runId: "fn-no-auth"))));
        Assert.Equal(HttpStatusCode.Accepted, HttpApiEvents.ToResponse(reply.Response!).StatusCode);
    }

    [Fact]
    public async Task A_missing_bucket_is_a_503_on_first_use_and_the_log_names_it()
    {
        // A function does not reach the bucket at start-up (cold starts stay short): the first request that needs it finds out.
        await using var function = FunctionProcess.Start(_runtime, Settings(bucket: "stricture-no-such-bucket"));

        var post = await InvokeAsync(Post(Posts.Valid(runId: "fn-no-bucket")));
        var read = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/fn-no-bucket"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        await Problem.AssertAsync(post, "storage-unavailable");
        Assert.True(read.StatusCode == HttpStatusCode.ServiceUnavailable, "a missing bucket must not read as a missing run");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!function.Output.Contains("The bucket 'stricture-no-such-bucket' does not exist", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Contains("The bucket 'stricture-no-such-bucket' does not exist", function.Output);
        Assert.False(function.HasExited, "the function keeps serving: the bucket may be created meanwhile");
    }

    [Fact]
    public async Task Function_mode_does_not_reconcile_at_start_where_the_server_does()
    {
        // A record whose catalog update never happened (a crash between the two writes).
        const string orphan = "stricture/v1/org=acme/project=checkout/service=orphan/runs/run=orphan-1.json";
        var envelope = new System.Text.Json.Nodes.JsonObject { ["schema"] = "stricture.run/v1" };
        foreach (var (name, value) in Posts.Valid(runId: "orphan-1", service: "orphan", generatedAt: "2026-11-22T10:00:00Z"))
        {
            envelope[name] = value?.DeepClone();
        }
        envelope["received_at"] = "2026-11-22T10:00:01.0000000Z";
        envelope["content_sha256"] = new string('0', 64);
        var bytes = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = orphan,
            InputStream = new MemoryStream(bytes),
            Metadata = { [S3ObjectStore.Sha256MetadataKey] = Posts.Sha256(bytes) },
        });
        const string manifest = "stricture/v1/org=acme/project=checkout/service=orphan/manifests/date=2026-11-22.jsonl";

        await using (var function = FunctionProcess.Start(_runtime, Settings()))
        {
            // The first answer means start-up is over; give a background reconcile time to show itself.
            Assert.Equal(HttpStatusCode.OK, (await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"))).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(await ExistsAsync(manifest), "function mode must not reconcile the catalog at start");
        }

        using var data = new TestDirectory();
        await using var server = await ServiceProcess.StartIngestAsync(data.Path, Settings());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ExistsAsync(manifest) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.True(await ExistsAsync(manifest), "the listening server reconciles at start (the check above would otherwise prove nothing)");
    }

    private static HttpRequestMessage WithToken(HttpRequestMessage request, string token = Token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<byte[]> ReadObjectAsync(string key)
    {
        using var response = await _client.GetObjectAsync(_bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task<bool> ExistsAsync(string key)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, key);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
