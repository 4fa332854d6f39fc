using System.Collections.Concurrent;
using System.Diagnostics;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The built Stricture.Ingest.dll run as a real process under a Lambda-like environment: the
/// variables Lambda sets for a custom runtime (AWS_LAMBDA_RUNTIME_API pointing at a
/// <see cref="TestLambdaRuntime"/>, the function's name, memory and region), no listen address, the
/// install directory as working directory. It serves invocations until disposed (SIGKILL, as Lambda
/// discards an instance).
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FunctionProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far.</summary>
    public string Output => string.Join('\n', _output);

    public static FunctionProcess Start(TestLambdaRuntime runtime, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Stricture.Ingest.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("STRICTURE_SERVER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        return Start(start, runtime, environment);
    }

    /// <summary>
    /// The packaged function's <c>bootstrap</c>, run as Lambda runs a custom runtime: from the unpacked
    /// package as working directory, with only the variables Lambda sets (no .NET on the PATH, no
    /// DOTNET_ROOT, no HOME) plus the function's own.
    /// </summary>
    public static FunctionProcess StartPackaged(FunctionPackage package, TestLambdaRuntime runtime, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(package.Bootstrap) { WorkingDirectory = package.TaskDirectory };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";
        start.Environment["LANG"] = "en_US.UTF-8";
        start.Environment["TZ"] = ":UTC";
        start.Environment["LAMBDA_TASK_ROOT"] = package.TaskDirectory;
        start.Environment["_HANDLER"] = "bootstrap";
        return Start(start, runtime, environment);
    }

    private static FunctionProcess Start(ProcessStartInfo start, TestLambdaRuntime runtime, IDictionary<string, string> environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Endpoint;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "stricture-ingest";
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512";
        start.Environment["AWS_REGION"] = "eu-west-1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return new FunctionProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to exit by itself; fails if it keeps running.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The function process was expected to exit, but it kept running:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
