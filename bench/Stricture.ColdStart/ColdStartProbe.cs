using System.Diagnostics;
using System.Text.Json;

namespace Stricture.ColdStart;

/// <summary>
/// One cold start: from just before the process is started to the function's first "next" call
/// and to its first response; and the CPU time the process had used by then (user and system),
/// which a busy machine disturbs far less than the wall-clock times.
/// </summary>
internal sealed record ColdStartTime(TimeSpan Initialised, TimeSpan Answered, TimeSpan Cpu);

/// <summary>
/// Starts one function process against the emulated Runtime API with one invocation waiting, times
/// it, and kills it (SIGKILL, as Lambda discards a sandbox). The process gets a clean, Lambda-like
/// environment: the Runtime API, the function's name, region and memory, and the settings given.
/// </summary>
internal static class ColdStartProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<ColdStartTime> MeasureAsync(
        RuntimeApiEmulator runtime, string binary, IReadOnlyDictionary<string, string> settings, byte[] invocationEvent, int expectedStatus)
    {
        var armed = runtime.Arm(invocationEvent);
        var start = StartInfo(runtime, binary, settings);
        var output = new Queue<string>();
        var startedAt = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.Enqueue(line);
                if (output.Count > 30)
                {
                    output.Dequeue();
                }
            }
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var (answeredAt, response) = await armed.Answered.Task.WaitAsync(Timeout);
            var cpu = CpuTime(process.Id);
            var initialisedAt = await armed.Initialised.Task;
            var status = JsonDocument.Parse(response).RootElement.GetProperty("statusCode").GetInt32();
            if (status != expectedStatus)
            {
                throw new InvalidOperationException($"{binary} answered {status}, not {expectedStatus}: {System.Text.Encoding.UTF8.GetString(response)}");
            }
            return new ColdStartTime(Stopwatch.GetElapsedTime(startedAt, initialisedAt), Stopwatch.GetElapsedTime(startedAt, answeredAt), cpu);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            lock (output)
            {
                throw new InvalidOperationException($"{exception.Message}\n{binary} printed:\n{string.Join('\n', output)}", exception);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
            await process.WaitForExitAsync();
        }
    }

    /// <summary>utime + stime from /proc/&lt;pid&gt;/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after it are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                    long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static ProcessStartInfo StartInfo(RuntimeApiEmulator runtime, string binary, IReadOnlyDictionary<string, string> settings)
    {
        var path = Path.GetFullPath(binary);
        var start = path.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { path } }
            : new ProcessStartInfo(path);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetDirectoryName(path)!;
        foreach (var key in start.Environment.Keys.Where(key =>
                     key.StartsWith("STRICTURE_", StringComparison.Ordinal) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ||
                     key.StartsWith("DOTNET_", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal) ||
                     key.StartsWith("Logging__", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) ||
                     key.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Endpoint;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "cold-start";
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024";
        start.Environment["AWS_REGION"] = "eu-west-1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        return start;
    }
}
