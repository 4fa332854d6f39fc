using System.Runtime.InteropServices;
using Stricture.Bench;

// Ingest benchmark for the filesystem driver: durable-write baseline and ingest load against a real
// server process in alternating slices, then peak server memory under concurrent maximum-size posts.
// Progress goes to stderr; stdout is only the markdown results block.

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

// All temp data of this run lives in one directory under the work directory (same filesystem as
// the repository). It is deleted only at the end: deleting tens of thousands of files (on a
// filesystem mounted with discard) is disk work that would slow whatever is measured next.
var runDirectory = Path.GetFullPath(Path.Combine(options.WorkDirectory, $"run-{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Environment.ProcessId}"));
Directory.CreateDirectory(runDirectory);
using var cancel = new CancellationTokenSource();
// Ctrl+C, SIGTERM or SIGHUP: stop at the next check, so the finally blocks stop the server and delete temp data.
var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }
    .Select(signal => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping");
        cancel.Cancel();
    }))
    .ToList();

void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

async Task<T> WithServerAsync<T>(string name, Func<ServerProcess, Task<T>> measure)
{
    cancel.Token.ThrowIfCancellationRequested();
    Quiet.Settle();
    await using var server = await ServerProcess.StartAsync(
        options.ServerDll, options.ServerWorkingDirectory, Path.Combine(runDirectory, $"data-{name}"), TimeSpan.FromSeconds(30));
    Progress($"{name}: server pid {server.Pid} on {server.BaseAddress}");
    return await measure(server);
}

try
{
    var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
    var date = DateTimeOffset.UtcNow;

    var throughput = await WithServerAsync("ingest", server =>
    {
        Progress($"throughput: {options.Count} durable writes and {options.Count} posts in {options.Slices} alternating slices, " +
                 $"{options.Concurrency} writers/clients");
        return ThroughputComparison.RunAsync(server, options, runDirectory, Progress, cancel.Token);
    });
    var large = await WithServerAsync("large", async server =>
    {
        Progress($"memory: {options.LargeRounds} rounds of {options.LargePosts} concurrent ~10 MB posts");
        var run = await LargePostMemory.RunAsync(server, options, cancel.Token);
        Progress($"memory: peak RSS {run.PeakRssKiB / 1024.0:0} MiB, {run.Accepted} of {run.Posts} accepted");
        return run;
    });

    var command = Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? Environment.CommandLine;
    var report = new ResultsReport(machine, command, date, options, throughput, large);
    Console.Out.Write(report.ToMarkdown());
    foreach (var error in report.Errors)
    {
        Console.Error.WriteLine("FAILED: " + error);
    }
    return report.Errors.Count == 0 ? 0 : 1;
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
