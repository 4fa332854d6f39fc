using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The ingest server as a real OS process (the built Stricture.Ingest.dll), bound to 127.0.0.1 on
/// a port the OS picks. Used where a test must kill the server for real or watch it refuse to start.
/// </summary>
public sealed partial class IngestProcess : IAsyncDisposable
{
    private readonly Process _process;

    private IngestProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<IngestProcess> StartAsync(string dataDirectory, IDictionary<string, string>? environment = null)
    {
        var process = Process.Start(StartInfo(dataDirectory, environment))!;
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
            throw new InvalidOperationException("The ingest process did not start:\n" + string.Join('\n', output));
        }
        return new IngestProcess(process, await listening.Task);
    }

    /// <summary>Starts the server expecting it to refuse: returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunExpectingRefusalAsync(string dataDirectory, IDictionary<string, string> environment) =>
        RunToExitAsync(dataDirectory, environment, []);

    /// <summary>Runs a command of the ingest binary (such as reconcile): returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string dataDirectory, params string[] arguments) =>
        RunToExitAsync(dataDirectory, null, arguments);

    private static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string dataDirectory, IDictionary<string, string>? environment, string[] arguments)
    {
        using var process = Process.Start(StartInfo(dataDirectory, environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
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

    private static ProcessStartInfo StartInfo(string dataDirectory, IDictionary<string, string>? environment, string[]? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Stricture.Ingest.dll"), .. arguments ?? []])
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
