using System.Text.Json;
using Stricture.Tests.Infrastructure;
using Stricture.Tests.S3;

namespace Stricture.Tests.Cli;

/// <summary>
/// A push while the server's S3 storage is down (the S3 gateway paused): the server answers 503 with
/// Retry-After, and the tool waits as told. Pausing the shared S3 server fails other S3 tests, so
/// these run alone, with the other outage tests.
/// </summary>
[Collection(nameof(S3OutageCollection))]
public sealed class S3OutagePushTests
{
    [Fact]
    public async Task A_push_during_a_storage_outage_waits_as_Retry_After_says_and_succeeds_once_storage_is_back()
    {
        await using var server = await StartServerAsync();
        var told503 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<StrictureTool.Result> push;

        // 1. Storage down: the tool is answered 503 and says it will wait the Retry-After.
        await using (await GatewayPause.StartAsync(await S3TestServer.GetAsync()))
        {
            push = StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-outage", "--timeout", "90s", "--json"),
                onStderrLine: line =>
                {
                    if (line.Contains("503 storage-unavailable", StringComparison.Ordinal))
                    {
                        told503.TrySetResult();
                    }
                });
            await told503.Task.WaitAsync(TimeSpan.FromSeconds(60));
        } // 2. Storage back.

        // 3. The retry after the wait is accepted.
        var result = await push;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("retrying in 5.0s", result.Stderr);
        var answer = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(answer.GetProperty("attempts").GetInt32() >= 2, "the push was answered 503 first: " + result);
        Assert.Equal("run-outage", answer.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task A_push_during_an_outage_longer_than_the_timeout_exits_5_with_the_attempt_count()
    {
        await using var server = await StartServerAsync();
        StrictureTool.Result result;
        await using (await GatewayPause.StartAsync(await S3TestServer.GetAsync()))
        {
            result = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-outage", "--timeout", "15s", "--json"));
        }

        Assert.True(result.ExitCode == 5, result.ToString());
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        var attempts = report.GetProperty("attempts").GetInt32();
        Assert.True(attempts >= 2, "15 s leave room for a retry after Retry-After: 5: " + result);
        Assert.Contains($"no answer within --timeout 15s after {attempts} attempts; the last: 503 storage-unavailable", result.Stderr);
        Assert.True(result.Took < TimeSpan.FromSeconds(45), $"the tool must stop at its timeout, not run on: {result.Took}");
    }

    private static async Task<IngestServer> StartServerAsync()
    {
        var s3 = await S3TestServer.GetAsync();
        var settings = s3.IngestSettings(await s3.CreateBucketAsync());
        // Storage calls give up quickly, so the server answers 503 within seconds.
        settings["STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS"] = "1";
        settings["STRICTURE_SERVER_OBJECT_MAX_RETRIES"] = "1";
        return IngestServer.Start(settings);
    }
}
