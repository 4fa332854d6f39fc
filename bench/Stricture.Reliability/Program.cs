using System.Runtime.InteropServices;
using Stricture.Bench;
using Stricture.Reliability;

// Reliability run (bench/reliability.sh): kill cycles on the fs, s3 and mirror drivers, disk full and
// read-only disk, object store outages, and a soak, each against real server processes on loopback.
// Progress goes to stderr; stdout is only the markdown report. Exit code 1 if any scenario found
// something lost, torn or answered imprecisely.

ReliabilityOptions options;
try
{
    options = ReliabilityOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

var runDirectory = Path.GetFullPath(Path.Combine(options.WorkDirectory, $"reliability-{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Environment.ProcessId}"));
Directory.CreateDirectory(runDirectory);
using var cancel = new CancellationTokenSource();
var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }
    .Select(signal => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping");
        cancel.Cancel();
    }))
    .ToList();

void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

try
{
    var store = options.NeedsObjectStore ? S3TestServer.FromEnvironment() : null;
    var harness = new Harness(options, runDirectory, store, Progress);
    var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
    var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown";
    var started = DateTimeOffset.UtcNow;
    var results = new List<ScenarioResult>();

    // The header first and each scenario's section as soon as it ends, so a run stopped early keeps what it measured.
    Console.Out.WriteLine($"## Reliability run, {started:yyyy-MM-dd HH:mm} UTC");
    Console.Out.WriteLine();
    Console.Out.WriteLine($"- command: `{Environment.GetEnvironmentVariable("RELIABILITY_COMMAND") ?? Environment.CommandLine}`");
    Console.Out.WriteLine($"- code: {code}; {machine.Runtime}; server GC: {machine.ServerGc}");
    Console.Out.WriteLine($"- machine: {machine.Cpus} CPUs ({machine.CpuModel}), {machine.MemoryGiB:0.0} GiB, Linux {machine.Kernel}; data directories on {machine.Filesystem}");
    if (store is not null)
    {
        Console.Out.WriteLine($"- object store: {store.Version} at {store.Endpoint}");
    }
    Console.Out.WriteLine($"- load average at the start: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.Out.WriteLine();

    async Task RunAsync(string name, Func<Task<ScenarioResult>> scenario)
    {
        Progress($"{name}: starting");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ScenarioResult result;
        try
        {
            result = await scenario();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // One scenario that cannot finish is reported as failed; the others still run.
            result = new ScenarioResult(name, [], [$"could not finish: {exception.GetType().Name}: {exception.Message}"]);
        }
        Progress($"{name}: {(result.Failures.Count == 0 ? "held" : "FAILED")} in {clock.Elapsed.TotalMinutes:0.0} min");
        result = result with { Rows = [.. result.Rows, ("scenario wall time", $"{clock.Elapsed.TotalMinutes:0.0} min")] };
        results.Add(result);
        Console.Out.Write(result.ToMarkdown());
        Console.Out.Flush();
    }

    if (options.Scenarios.Contains("kill"))
    {
        foreach (var driver in options.Drivers)
        {
            await RunAsync($"kill {driver}", () => KillCycles.RunAsync(harness, driver, cancel.Token));
        }
    }
    if (options.Scenarios.Contains("disk"))
    {
        await RunAsync("disk", () => DiskFaults.RunAsync(harness, cancel.Token));
    }
    if (options.Scenarios.Contains("outage"))
    {
        foreach (var driver in options.Drivers.Where(d => d != "fs"))
        {
            await RunAsync($"outage {driver}", () => StoreOutage.RunAsync(harness, driver, cancel.Token));
        }
    }
    if (options.Scenarios.Contains("soak"))
    {
        await RunAsync("soak", () => Soak.RunAsync(harness, cancel.Token));
    }

    Console.Out.WriteLine($"Load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}; wall time {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min.");
    foreach (var failure in results.SelectMany(r => r.Failures.Select(f => $"{r.Title}: {f}")))
    {
        Console.Error.WriteLine("FAILED: " + failure);
    }
    return results.All(r => r.Failures.Count == 0) ? 0 : 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; no results.");
    return 1;
}
catch (Exception exception)
{
    Console.Error.WriteLine($"FAILED: {exception.GetType().Name}: {exception.Message}");
    return 1;
}
finally
{
    Directory.Delete(runDirectory, recursive: true);
    signals.ForEach(s => s.Dispose());
}
