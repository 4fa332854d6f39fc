using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Cli;

/// <summary>A push keeps trying through failures a retry can fix, within --timeout.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task A_server_not_yet_listening_and_then_started_gets_the_push_within_the_timeout()
    {
        // 1. A port nothing listens on yet.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        // 2. Push to it; start the server once the tool has been refused at least once.
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var push = StrictureTool.RunAsync(
            StrictureTool.Push(new Uri($"http://127.0.0.1:{port}"), "run-late", "--timeout", "60s", "--json"),
            onStderrLine: line =>
            {
                if (line.Contains("retrying in", StringComparison.Ordinal))
                {
                    refused.TrySetResult();
                }
            });
        await refused.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await using var server = IngestServer.Start(new Dictionary<string, string?> { ["STRICTURE_SERVER_ADDR"] = $"127.0.0.1:{port}" });

        // 3. The push lands.
        var result = await push;
        Assert.True(result.ExitCode == 0, result.ToString());
        var answer = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(answer.GetProperty("attempts").GetInt32() >= 2, "the first attempt was refused: " + result);
        Assert.True(File.Exists(server.PathOf(answer.GetProperty("location").GetString()!)), "the record must be stored");
    }
}
