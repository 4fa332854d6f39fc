extern alias apphost;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3;
using apphost::Stricture.AppHost;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost with its default store, a MinIO container: it needs a container engine. Where none
/// answers, the graph must refuse at once with a message saying how to use an existing store, and the
/// test that runs MinIO reports itself skipped with the reason (never passed).
/// </summary>
public sealed class AppHostStartTests
{
    private static readonly string AppHostDll = Path.Combine(AppContext.BaseDirectory, "Stricture.AppHost.dll");

    [Fact]
    public async Task Without_a_container_runtime_or_a_connection_string_the_graph_refuses_in_one_line_naming_the_way_out()
    {
        // A runtime name that resolves to nothing stands in for a machine without Docker or Podman.
        var start = new ProcessStartInfo("dotnet", [AppHostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["ASPIRE_CONTAINER_RUNTIME"] = "stricture-no-such-container-runtime";
        // What the AppHost's launch profile sets for `dotnet run` (no developer certificate here).
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://127.0.0.1:0";
        start.Environment["Parameters__minio-password"] = "start-test-password-0123456789";
        start.Environment["Parameters__ingest-token"] = "start-test-token-0123456789abcdef";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the AppHost must stop by itself when no container runtime answers");
        }

        var error = await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("Stricture.AppHost: The graph runs minio in a container, but no container runtime answers", error, StringComparison.Ordinal);
        Assert.Contains("'stricture-no-such-container-runtime' is not installed", error);
        Assert.Contains("ConnectionStrings:minio=Endpoint=", error);
        Assert.DoesNotContain("   at ", error + await stdout);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public async Task With_a_container_runtime_the_default_graph_runs_MinIO_creates_the_bucket_and_replicates_to_it()
    {
        var why = await ContainerRuntimeProbe.WhyUnavailableAsync(ContainerRuntimeProbe.RuntimeName(Environment.GetEnvironmentVariable), CancellationToken.None);
        Skip.If(why is not null, $"No container runtime answers here ({why}); the MinIO container cannot start.");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        using var data = new TestDirectory();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Projects.Stricture_AppHost>(
            [
                $"Parameters:minio-password={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}",
                $"Parameters:ingest-token={token}",
                $"Stricture:DataDirectory={data.Path}",
                "MinIO:DataVolume=false",
            ],
            timeout.Token);
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        await using var app = await appHost.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("ingest", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("replicator", timeout.Token);

        using var http = app.CreateHttpClient("ingest", "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.PostAsync(Posts.Valid(runId: "aspire-minio-001"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonBodyAsync();

        var connectionString = await app.GetConnectionStringAsync("minio", timeout.Token);
        using var minio = MinioBucket.CreateClient(connectionString!);
        var key = accepted.GetProperty("location").GetString()!;
        while (true)
        {
            try
            {
                using var stored = await minio.GetObjectAsync("stricture", key, timeout.Token);
                using var content = new MemoryStream();
                await stored.ResponseStream.CopyToAsync(content, timeout.Token);
                Assert.Equal(accepted.GetProperty("sha256").GetString(), Posts.Sha256(content.ToArray()));
                return;
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
    }
}
