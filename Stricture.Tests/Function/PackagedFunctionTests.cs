using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Function;

/// <summary>
/// The deployable package, not the build output: eng/package-function.sh's zip (self-contained,
/// ReadyToRun composite, the executable renamed to bootstrap), unpacked and run as Lambda runs a
/// custom runtime (no .NET installed, a bare environment) against the Runtime API on loopback and the
/// real S3 server.
/// </summary>
public sealed class PackagedFunctionTests : IAsyncLifetime
{
    private const string Token = "packaged-function-token-0123456789";

    /// <summary>Lambda's limit for a function's unzipped package (deployment package quotas).</summary>
    private const long LambdaUnzippedLimitBytes = 250L * 1024 * 1024;

    private FunctionPackage _package = null!;
    private S3TestServer _s3 = null!;
    private string _bucket = null!;
    private TestLambdaRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _package = await FunctionPackage.GetAsync();
        _s3 = await S3TestServer.GetAsync();
        _bucket = await _s3.CreateBucketAsync();
        _runtime = await TestLambdaRuntime.StartAsync();
    }

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    private Dictionary<string, string> Settings(string driver = "s3") => new(_s3.IngestEnvironment(_bucket))
    {
        ["STRICTURE_SERVER_STORAGE_DRIVER"] = driver,
        ["STRICTURE_SERVER_AUTH_MODE"] = "token",
        ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
    };

    private async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(request));
        Assert.True(reply.Error is null, $"the function reported an invocation error: {reply.Error?.Body}");
        return HttpApiEvents.ToResponse(reply.Response!);
    }

    [Fact]
    public void The_package_is_a_self_contained_bootstrap_within_lambdas_size_limit()
    {
        var bootstrap = new FileInfo(_package.Bootstrap);
        var files = Directory.EnumerateFiles(_package.TaskDirectory, "*", SearchOption.AllDirectories).Select(path => new FileInfo(path)).ToList();

        Assert.True(bootstrap.Exists, "Lambda runs the executable named bootstrap at the package root");
        Assert.True(bootstrap.UnixFileMode.HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute), $"bootstrap is not executable: {bootstrap.UnixFileMode}");
        Assert.Contains(files, file => file.Name == "libhostfxr.so"); // the runtime travels with it: provided.al2023 has no .NET
        Assert.Contains(files, file => file.Name == "Stricture.Ingest.dll");
        Assert.DoesNotContain(files, file => file.Name == "Stricture.Ingest"); // renamed, not copied
        Assert.True(files.Sum(file => file.Length) < LambdaUnzippedLimitBytes, $"{files.Sum(file => file.Length):N0} bytes unzipped");
    }

    [Fact]
    public async Task The_packaged_bootstrap_stores_a_post_in_the_bucket_and_serves_it_back()
    {
        await using var function = FunctionProcess.StartPackaged(_package, _runtime, Settings());

        var post = await InvokeAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts")
        {
            Content = Posts.Json(Posts.Valid(runId: "packaged-run", generatedAt: "2026-11-22T10:00:00Z")),
        });
        var latest = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api/latest"));
        var list = await InvokeAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/runs/acme/checkout/api?from=2026-11-22&to=2026-11-22"));

        Assert.True(post.StatusCode == HttpStatusCode.Accepted, $"{post.StatusCode}: {await post.Content.ReadAsStringAsync()}\n{function.Output}");
        var sha256 = (await post.JsonBodyAsync()).GetProperty("sha256").GetString();
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal($"\"{sha256}\"", latest.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var runs = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["runs"]!.AsArray();
        Assert.Equal(["packaged-run"], runs.Select(run => (string)run!["run_id"]!));
        Assert.False(function.HasExited, function.Output);
    }

    [Fact]
    public async Task The_packaged_bootstrap_reports_a_refused_driver_through_the_init_error_call()
    {
        await using var function = FunctionProcess.StartPackaged(_package, _runtime, Settings(driver: "fs"));

        var initError = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("STRICTURE_SERVER_STORAGE_DRIVER=fs", initError.ErrorMessage);
        Assert.NotEqual(0, await function.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, _runtime.NextCalls);
    }
}
