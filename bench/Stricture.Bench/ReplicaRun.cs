using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Keys;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Bench;

/// <summary>
/// Several stateless replicas on one bucket: <see cref="Replicas"/> ingest processes on the s3
/// driver, all posting to one service-day at full rate (16 clients, client i on replica i mod n),
/// between two slices of raw conditional PUTs to the same S3 server. Reports the rate against the
/// raw PUTs, the S3 requests and failed requests (412s: lost conditional writes, i.e.
/// compare-and-swap retries) per post from the S3 server's own counters, and what a reconcile
/// afterwards finds to add (it must be nothing: no entry lost).
/// </summary>
internal sealed record ReplicaRun(
    int Replicas, int Count, double PostsPerSecond, double BaselinePerSecond, LatencySummary Latency, int Failed, IReadOnlyList<string> FailureSamples,
    RgwCounters? Requests, ReconcileReport Reconcile, int ExpectedRuns)
{
    public const int DefaultReplicas = 3;

    public double Ratio => PostsPerSecond / BaselinePerSecond;

    public static async Task<ReplicaRun> RunAsync(
        BenchOptions options, S3TestServer store, S3Bucket bucket, string runDirectory, Action<string> progress, CancellationToken cancellationToken)
    {
        var servers = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < DefaultReplicas; i++)
            {
                servers.Add(await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory,
                    Path.Combine(runDirectory, $"data-replica-{i}"), TimeSpan.FromSeconds(30), bucket.ServerSettings, store.Pids));
                progress($"replicas: server {i} pid {servers[^1].Pid} on {servers[^1].BaseAddress}");
            }
            var baseline = new RawPutBaseline(bucket, options, servers[0]);
            var artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0)));
            var clients = servers.Select(server => IngestLoad.NewClient(server.BaseAddress, options.Concurrency)).ToList();
            try
            {
                await PostAsync(clients, "w00", options.WarmUp, options, artifact.Json, cancellationToken);
                await baseline.WarmUpAsync(options.WarmUp, cancellationToken);
                Quiet.Settle();
                var before = await baseline.RunSliceAsync(0, options.S3Count / 2, cancellationToken);
                Quiet.Settle();
                progress($"replicas: {options.S3Count} posts by {options.Concurrency} clients over {servers.Count} replicas");
                var requestsBefore = RgwCounters.Read(store.AdminSocket);
                var (elapsed, latencies, failed, samples) = await PostAsync(clients, "m00", options.S3Count, options, artifact.Json, cancellationToken);
                var requests = requestsBefore is not null && RgwCounters.Read(store.AdminSocket) is { } after ? after - requestsBefore : null;
                Quiet.Settle();
                var afterSlice = await baseline.RunSliceAsync(1, options.S3Count - options.S3Count / 2, cancellationToken);
                var baselineRate = (before.Count + afterSlice.Count) / (before.Cpu.Elapsed + afterSlice.Cpu.Elapsed).TotalSeconds;
                progress($"replicas: {options.S3Count / elapsed.TotalSeconds:N0} posts/s, raw PUTs {baselineRate:N0}/s; reconciling");
                var reconcile = await ReconcileAsync(store, bucket, cancellationToken);
                return new ReplicaRun(servers.Count, options.S3Count, options.S3Count / elapsed.TotalSeconds, baselineRate,
                    LatencySummary.FromTimestampDeltas(latencies), failed, samples, requests, reconcile, options.S3Count + options.WarmUp);
            }
            finally
            {
                clients.ForEach(client => client.Dispose());
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<(TimeSpan Elapsed, long[] Latencies, int Failed, IReadOnlyList<string> Samples)> PostAsync(
        List<HttpClient> replicas, string phase, int count, BenchOptions options, byte[] artifact, CancellationToken cancellationToken)
    {
        var latencies = new long[count];
        var next = -1;
        var failed = 0;
        var samples = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(c => Task.Run(async () =>
        {
            var client = replicas[c % replicas.Count];
            while (clock.Elapsed < options.PhaseTimeout && Interlocked.Increment(ref next) is var index && index < count)
            {
                using var content = ArtifactBodies.Small(ArtifactBodies.RunId(phase, index), artifact);
                var started = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    using var response = await client.PostAsync("v1/artifacts", content, cancellationToken);
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    failure = response.StatusCode == HttpStatusCode.Accepted ? null : $"{(int)response.StatusCode}: {answer}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    failure = $"{exception.GetType().Name}: {exception.Message}";
                }
                latencies[index] = Stopwatch.GetTimestamp() - started;
                if (failure is not null && Interlocked.Increment(ref failed) <= 5)
                {
                    samples.Enqueue(failure);
                }
            }
        }, cancellationToken)));
        if (next < count)
        {
            throw new TimeoutException($"Replica load ({phase}) did not finish {count} posts within {options.PhaseTimeout.TotalSeconds:0} s.");
        }
        return (clock.Elapsed, latencies, failed, [.. samples]);
    }

    /// <summary>The reconcile a server runs at start, in this process, on the bucket: what it adds is what the replicas lost.</summary>
    private static async Task<ReconcileReport> ReconcileAsync(S3TestServer server, S3Bucket bucket, CancellationToken cancellationToken)
    {
        var settings = new S3StoreSettings { Bucket = bucket.Name, Endpoint = server.Endpoint, AccessKey = server.AccessKey, SecretKey = server.SecretKey };
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        using var meters = new BenchMeterFactory();
        var keys = new RecordKeys("stricture");
        var catalog = new RunCatalog(store, keys, new StorageTelemetry(meters), compactInBackground: false);
        return await new CatalogReconciler(store, keys, catalog, NullLogger<CatalogReconciler>.Instance).ReconcileAsync(cancellationToken);
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            var errors = new List<string>();
            if (Failed > 0)
            {
                errors.Add($"{Failed} replica posts were not answered 202: {string.Join(" | ", FailureSamples)}");
            }
            if (Reconcile.EntriesAdded > 0 || Reconcile.Runs != ExpectedRuns)
            {
                errors.Add($"reconcile added {Reconcile.EntriesAdded} manifest entries and found {Reconcile.Runs} of {ExpectedRuns} runs");
            }
            return errors;
        }
    }

    public string ToMarkdown(string command, string code, DateTimeOffset date)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv($"### Replicas run of {date:yyyy-MM-dd HH:mm} UTC"));
        md.AppendLine();
        md.AppendLine(Inv($"- Command: `{command}`; code `{code}`; load average {LoadAverage.Read()} at the end"));
        md.AppendLine(Inv($"- {Replicas} ingest processes (s3 driver) on one bucket; {Count:N0} posts of {IngestLoad.BodyBytes:N0} B to one service-day by 16 clients, client i on replica i mod {Replicas}; raw conditional PUTs of the same size before and after"));
        md.AppendLine();
        md.AppendLine("| Measure | Result |");
        md.AppendLine("|---|---|");
        md.AppendLine(Inv($"| Posts/s over {Replicas} replicas ÷ raw PUT/s | {Ratio:0.00} ({PostsPerSecond:N0} ÷ {BaselinePerSecond:N0}) |"));
        md.AppendLine(Inv($"| Latency p50 / p99 | {Latency.P50:0.0} / {Latency.P99:0.0} ms |"));
        if (Requests is { } r)
        {
            md.AppendLine(Inv($"| S3 requests per post (GET+HEAD / PUT) | {(double)r.Requests / Count:0.00} ({(double)r.Gets / Count:0.00} / {(double)r.Puts / Count:0.00}) |"));
            md.AppendLine(Inv($"| Failed S3 requests per post (lost conditional writes: compare-and-swap retries) | {(double)r.Failed / Count:0.000} |"));
        }
        md.AppendLine(Inv($"| Reconcile afterwards: runs found, entries added | {Reconcile.Runs:N0}, {Reconcile.EntriesAdded} |"));
        md.AppendLine(Inv($"| Posts not answered 202 | {Failed} |"));
        md.AppendLine();
        var errors = Errors;
        md.AppendLine(errors.Count == 0 ? "Correctness: every post was answered 202 and reconcile found nothing to add." : "**RUN FAILED**: " + string.Join(" ", errors));
        return md.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
