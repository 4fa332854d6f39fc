using System.Runtime.InteropServices;
using Stricture.Bench;

// Ingest benchmark. fs scenario (the default): durable-write baseline and ingest load against a real
// server process in alternating slices, then peak server memory under concurrent maximum-size posts.
// s3 scenario: raw conditional PUTs and ingest on the s3 driver, against the same S3 server, in
// alternating slices. query scenario: latest, a 7-day range and a run by id against stores of 1k,
// 10k and 100k runs at the same runs per day, so only the length of the history differs. mirror
// scenario: the replicator's throughput against raw PUTs of the same records in alternating slices,
// then its lag under a steady load of half that rate. batch scenario: batches of 100 against single
// posts, items/s, in alternating slices of one run. discovery scenario: the organization-wide reads
// and the queries by commit against stores of 1,000 services with growing history. blast scenario: ingest with
// the blast-radius step against ingest without it, at 1,000 services. Progress goes to stderr; stdout is only the
// markdown results blocks.

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

async Task<T> WithServerAsync<T>(
    string name, Func<ServerProcess, Task<T>> measure, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<int>? storePids = null)
{
    cancel.Token.ThrowIfCancellationRequested();
    Quiet.Settle();
    await using var server = await ServerProcess.StartAsync(
        options.ServerDll, options.ServerWorkingDirectory, Path.Combine(runDirectory, $"data-{name}"), TimeSpan.FromSeconds(30), settings, storePids);
    Progress($"{name}: server pid {server.Pid} on {server.BaseAddress}");
    return await measure(server);
}

var command = Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? Environment.CommandLine;

async Task<ResultsReport> RunFsAsync()
{
    var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
    var date = DateTimeOffset.UtcNow;

    var throughput = await WithServerAsync("ingest", server =>
    {
        Progress($"throughput: {options.Count} durable writes and {options.Count} posts in {options.Slices} alternating slices, " +
                 $"{options.Concurrency} writers/clients");
        return ThroughputComparison.RunAsync(server, options, new DurableWriteBaseline(runDirectory, options, server), Progress, cancel.Token);
    });
    var large = await WithServerAsync("large", async server =>
    {
        Progress($"memory: {options.LargeRounds} rounds of {options.LargePosts} concurrent ~10 MB posts");
        var run = await LargePostMemory.RunAsync(server, options, cancel.Token);
        Progress($"memory: peak RSS {run.PeakRssKiB / 1024.0:0} MiB, {run.Accepted} of {run.Posts} accepted");
        return run;
    });
    return new ResultsReport(machine, command, date, options, throughput, large);
}

async Task<S3ResultsReport> RunS3Async()
{
    var store = S3TestServer.FromEnvironment();
    // Other people commit while benchmarks run: say which code was just built ("-dirty": with uncommitted changes).
    var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown (not a git checkout)";
    var s3Options = options with { Count = options.S3Count };
    // The s3 driver stages each object in a temp file before its PUT: that filesystem is the one that matters here.
    var machine = MachineInfo.Describe(Path.GetTempPath(), options.ServerDll);
    var date = DateTimeOffset.UtcNow;
    var loadBefore = LoadAverage.Read();

    await using var bucket = await S3Bucket.CreateAsync(store, null, cancel.Token);
    Progress($"s3: bucket {bucket.Name} at {store.Endpoint} ({store.Version})");
    var throughput = await WithServerAsync("s3", server =>
    {
        Progress($"s3 throughput: {s3Options.Count} raw PUTs and {s3Options.Count} posts in {s3Options.Slices} alternating slices, " +
                 $"{s3Options.Concurrency} writers/clients");
        return ThroughputComparison.RunAsync(server, s3Options, new RawPutBaseline(bucket, s3Options, server), Progress, cancel.Token, store.AdminSocket);
    }, bucket.ServerSettings, store.Pids);
    return new S3ResultsReport(machine, store, command, code, date, s3Options, throughput, loadBefore, LoadAverage.Read());
}

async Task<QueryResultsReport> RunQueryAsync()
{
    var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown (not a git checkout)";
    var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
    var date = DateTimeOffset.UtcNow;
    var loadAtStart = LoadAverage.Read();
    // The same ~4 KiB post as the ingest scenarios, so the stored envelopes are the same size.
    var artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0)));
    // Every store's history ends yesterday, as a service that posts daily would look.
    var newestDay = DateOnly.FromDateTime(date.UtcDateTime).AddDays(-1);

    var stores = new List<(SeededStore Store, ReconcileRun Reconcile)>();
    foreach (var size in options.QuerySizes)
    {
        cancel.Token.ThrowIfCancellationRequested();
        Quiet.Settle();
        Progress($"seed {size:N0}: {size / options.RunsPerDay:N0} days of {options.RunsPerDay} runs");
        var store = await RunSeeder.SeedAsync(
            Path.Combine(runDirectory, $"data-query-{size}"), size, options.RunsPerDay, newestDay, artifact.Json, null, Progress, cancel.Token);
        Progress($"seed {size:N0}: {store.Elapsed.TotalSeconds:0.0} s ({store.RunsPerSecond:N0} runs/s)");
        Quiet.Settle();
        var reconcile = await ReconcileRun.RunAsync(options.ServerDll, options.ServerWorkingDirectory, store.DataDirectory, options.PhaseTimeout, cancel.Token);
        Progress($"reconcile {size:N0}: {reconcile.Wall.TotalSeconds:0.00} s: {reconcile.Summary}");
        stores.Add((store, reconcile));
    }
    var loadBeforeQueries = LoadAverage.Read();
    var measured = await QueryComparison.RunAsync(stores, options, Progress, cancel.Token);
    return new QueryResultsReport(machine, command, code, date, options, artifact.Nodes, measured, loadAtStart, loadBeforeQueries, LoadAverage.Read());
}

async Task<MirrorResultsReport> RunMirrorAsync()
{
    var store = S3TestServer.FromEnvironment();
    var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown (not a git checkout)";
    var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
    var replicatorGc = MachineInfo.Describe(runDirectory, options.ReplicatorDll).ServerGc;
    var date = DateTimeOffset.UtcNow;
    var loadBefore = LoadAverage.Read();
    // The same ~4 KiB post as the other scenarios, so the envelopes copied are the same size.
    var artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0)));

    // A bucket per side, so no side's PUTs land in another's bucket index; all deleted at the end.
    await using var payloadBucket = await S3Bucket.CreateAsync(store, "raw-payload", cancel.Token);
    await using var replicaBucket = await S3Bucket.CreateAsync(store, "replica", cancel.Token);
    await using var lagBucket = await S3Bucket.CreateAsync(store, "lag", cancel.Token);
    Progress($"mirror: buckets {payloadBucket.Name}, {replicaBucket.Name}, {lagBucket.Name} at {store.Endpoint} ({store.Version})");

    var throughput = await MirrorThroughput.RunAsync(
        options, store, (payloadBucket, replicaBucket), runDirectory, artifact.Json, Progress, cancel.Token);
    Quiet.Settle();
    var lag = await MirrorLag.RunAsync(options, store, lagBucket, throughput.Replication.PerSecond / 2, runDirectory, Progress, cancel.Token);
    return new MirrorResultsReport(
        machine, replicatorGc, store, command, code, date, options, artifact.Nodes, throughput, lag, loadBefore, LoadAverage.Read());
}

async Task<(ReplicaRun Run, string Code, DateTimeOffset Date)> RunReplicasAsync()
{
    var store = S3TestServer.FromEnvironment();
    var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown (not a git checkout)";
    var date = DateTimeOffset.UtcNow;
    await using var bucket = await S3Bucket.CreateAsync(store, "replicas", cancel.Token);
    Progress($"replicas: bucket {bucket.Name} at {store.Endpoint} ({store.Version})");
    return (await ReplicaRun.RunAsync(options, store, bucket, runDirectory, Progress, cancel.Token), code, date);
}

try
{
    var errors = new List<string>();
    if (options.RunsReplicas)
    {
        var (run, code, date) = await RunReplicasAsync();
        Console.Out.Write(run.ToMarkdown(command, code, date));
        errors.AddRange(run.Errors);
    }
    if (options.RunsMirror)
    {
        var report = await RunMirrorAsync();
        Console.Out.Write(report.ToMarkdown());
        errors.AddRange(report.Errors);
    }
    if (options.RunsBlastRadius)
    {
        var (report, blastErrors) = await BlastRadiusBench.RunAsync(options, runDirectory, command, Progress, cancel.Token);
        Console.Out.Write(report);
        errors.AddRange(blastErrors);
    }
    if (options.RunsBatch)
    {
        Console.Out.Write(await BatchBench.RunAsync(options, runDirectory, command, Progress, cancel.Token));
    }
    if (options.RunsDiscovery)
    {
        Console.Out.Write(await DiscoveryBench.RunAsync(options, runDirectory, command, Progress, cancel.Token));
    }
    if (options.RunsUi)
    {
        Console.Out.Write(await UiBench.RunAsync(options, runDirectory, command, Progress, cancel.Token));
    }
    if (options.RunsQuery)
    {
        Console.Out.Write((await RunQueryAsync()).ToMarkdown());
    }
    if (options.RunsFs)
    {
        var report = await RunFsAsync();
        Console.Out.Write(report.ToMarkdown());
        errors.AddRange(report.Errors);
    }
    if (options.RunsS3)
    {
        var report = await RunS3Async();
        if (options.RunsFs)
        {
            Console.Out.WriteLine();
        }
        Console.Out.Write(report.ToMarkdown());
        errors.AddRange(report.Errors);
    }
    foreach (var error in errors)
    {
        Console.Error.WriteLine("FAILED: " + error);
    }
    return errors.Count == 0 ? 0 : 1;
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
