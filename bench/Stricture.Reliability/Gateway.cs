using System.Diagnostics;

namespace Stricture.Reliability;

/// <summary>
/// The S3 test server's gateway (radosgw), found by the pid file eng/s3-test-server.sh wrote for the
/// server this run started or was given: paused (SIGSTOP: connections are accepted, nothing
/// answers), resumed (SIGCONT), killed (SIGKILL) and restarted with the exact command line it ran
/// with. The monitor and OSD keep running, so the bucket's objects survive a gateway restart.
/// Only this one pid is ever signalled.
/// </summary>
internal sealed class Gateway(string pidFile, Uri endpoint)
{
    private string[]? _commandLine;

    public static Gateway FromEnvironment(Uri endpoint) =>
        new(Environment.GetEnvironmentVariable("STRICTURE_TEST_S3_RGW_PID_FILE") is { Length: > 0 } file
            ? file
            : throw new ArgumentException("STRICTURE_TEST_S3_RGW_PID_FILE is not set: run through bench/reliability.sh."), endpoint);

    private int Pid => int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public Task PauseAsync() => SignalAsync("-STOP");

    public Task ResumeAsync() => SignalAsync("-CONT");

    public async Task KillAsync()
    {
        var pid = Pid;
        _commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Starts the gateway again (it daemonizes) and waits until S3 answers; returns how long that took.</summary>
    public async Task<TimeSpan> RestartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var commandLine = _commandLine ?? throw new InvalidOperationException("The gateway was not killed by this run.");
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo(commandLine[0]) { UseShellExecute = false };
        foreach (var argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using (var launcher = Process.Start(start) ?? throw new InvalidOperationException("radosgw did not start."))
        {
            await launcher.WaitForExitAsync(cancellationToken);
        }
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await client.GetAsync(endpoint, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not answering yet.
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"radosgw did not answer within {timeout.TotalSeconds:0} s of its restart.");
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} on the gateway failed.");
        }
    }
}
