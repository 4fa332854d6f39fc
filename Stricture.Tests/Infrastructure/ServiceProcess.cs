using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// A service as a real OS process (the built Stricture.Ingest.dll or Stricture.Replicator.dll),
/// bound to 127.0.0.1 on a port the OS picks. Used where a test must kill a service for real,
/// pause it, or watch it refuse to start.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<ServiceProcess> StartIngestAsync(string dataDirectory, IDictionary<string, string>? environment = null) =>
        StartAsync(StartInfo(dataDirectory, environment));

    /// <summary>Stricture.Replicator on the same data directory and settings as an ingest server; its health endpoints on a free port.</summary>
    public static Task<ServiceProcess> StartReplicatorAsync(string dataDirectory, IDictionary<string, string> environment)
    {
        var start = StartInfo(dataDirectory, environment, dll: ReplicatorDll);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        return StartAsync(start);
    }

    public int Pid => _process.Id;

    private static async Task<ServiceProcess> StartAsync(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            throw new InvalidOperationException($"{start.ArgumentList[0]} did not start:\n" + string.Join('\n', output));
        }
        return new ServiceProcess(process, await listening.Task);
    }

    /// <summary>Starts the server expecting it to refuse: returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunExpectingRefusalAsync(string dataDirectory, IDictionary<string, string> environment) =>
        RunToExitAsync(dataDirectory, environment, []);

    /// <summary>Runs a command of the ingest binary (such as reconcile): returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string dataDirectory, params string[] arguments) =>
        RunToExitAsync(dataDirectory, null, arguments);

    /// <summary>Runs a command of the ingest binary with the server's settings (webhooks): returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(
        string dataDirectory, IDictionary<string, string> environment, params string[] arguments) =>
        RunToExitAsync(dataDirectory, environment, arguments);

    /// <summary>Starts the replicator expecting it to refuse: returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunReplicatorAsync(string dataDirectory, IDictionary<string, string> environment) =>
        RunToExitAsync(dataDirectory, environment, [], ReplicatorDll);

    /// <summary>Runs a command of the replicator binary (verify): returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunReplicatorCommandAsync(
        string dataDirectory, IDictionary<string, string> environment, params string[] arguments) =>
        RunToExitAsync(dataDirectory, environment, arguments, ReplicatorDll);

    private static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string dataDirectory, IDictionary<string, string>? environment, string[] arguments, string dll = IngestDll)
    {
        using var process = Process.Start(StartInfo(dataDirectory, environment, arguments, dll))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: a command (an import on S3) on a loaded two-core machine can take a minute; this bounds only a hung one.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException("The process was expected to exit, but it kept running.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, like a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private const string IngestDll = "Stricture.Ingest.dll";
    private const string ReplicatorDll = "Stricture.Replicator.dll";

    private static ProcessStartInfo StartInfo(
        string dataDirectory, IDictionary<string, string>? environment, string[]? arguments = null, string dll = IngestDll)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, dll), .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["STRICTURE_SERVER_ADDR"] = "127.0.0.1:0";
        start.Environment["STRICTURE_SERVER_DATA_DIR"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return start;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
