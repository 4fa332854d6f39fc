using System.Diagnostics;
using System.Text.Json;
using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// What every scenario shares: the built services, this run's directory, the S3 test server (when
/// the scenario needs one), and how a driver's server and replicator are started on it.
/// </summary>
internal sealed class Harness(ReliabilityOptions options, string runDirectory, S3TestServer? store, Action<string> progress)
{
    public ReliabilityOptions Options => options;

    public string RunDirectory => runDirectory;

    public S3TestServer Store => store ?? throw new InvalidOperationException("This scenario needs the S3 test server (bench/reliability.sh starts it).");

    public IReadOnlyList<int> StorePids => store?.Pids ?? [];

    public void Progress(string message) => progress(message);

    /// <summary>The verify command's settings, as the benchmark passes them.</summary>
    public BenchOptions BenchOptions => new() { ServerDll = options.ServerDll, ReplicatorDll = options.ReplicatorDll, PhaseTimeout = options.PhaseTimeout };

    public Task<ServerProcess> StartServerAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings) =>
        ServerProcess.StartAsync(options.ServerDll, null, dataDirectory, TimeSpan.FromSeconds(90), settings, StorePids);

    public Task<ServerProcess> StartReplicatorAsync(string dataDirectory, S3Bucket bucket) =>
        ServerProcess.StartAsync(options.ReplicatorDll, null, dataDirectory, TimeSpan.FromSeconds(90), bucket.MirrorSettings, StorePids, HostShape.Replicator);

    /// <summary>SIGKILL to one process this run started, by its pid; returns once it is gone.</summary>
    public static async Task KillAsync(ServerProcess process)
    {
        using var target = Process.GetProcessById(process.Pid);
        target.Kill(entireProcessTree: false);
        await target.WaitForExitAsync();
    }

    public static HttpClient ClientFor(ServerProcess server) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Waits for the replicator to empty the spool of <paramref name="dataDirectory"/>: done when no
    /// entry is pending; given up when the backlog has not shrunk for a minute, or after
    /// <see cref="ReliabilityOptions.DrainLimit"/>. Returns how long it took and what is left.
    /// </summary>
    public async Task<(TimeSpan Elapsed, int Left)> DrainAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var pending = Path.Combine(dataDirectory, ".spool", "pending");
        int Count() => Directory.Exists(pending) ? Directory.EnumerateFiles(pending, "*", SearchOption.AllDirectories).Count() : 0;
        var clock = Stopwatch.StartNew();
        var best = Count();
        var lastProgress = clock.Elapsed;
        while (true)
        {
            var left = Count();
            if (left < best)
            {
                best = left;
                lastProgress = clock.Elapsed;
            }
            if (left == 0 || clock.Elapsed - lastProgress > TimeSpan.FromMinutes(1) || clock.Elapsed > options.DrainLimit)
            {
                return (clock.Elapsed, left);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>
    /// Runs verify until the bucket holds everything the data directory does (the replicator drains
    /// its backlog meanwhile) or the phase timeout; the last run's result either way.
    /// </summary>
    public async Task<VerifyRun> VerifyUntilCleanAsync(string dataDirectory, S3Bucket bucket, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var verify = await VerifyRun.RunAsync(BenchOptions, dataDirectory, bucket, cancellationToken);
            if (verify.Clean || clock.Elapsed > options.PhaseTimeout)
            {
                return verify;
            }
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
    }

    /// <summary>
    /// Reads every record, manifest and other JSON object in a data directory: a file that does
    /// not parse is a torn record visible to readers. Returns the number of files that failed.
    /// </summary>
    public static (int Files, int Unparseable, string? Example) ParseRecordsTree(string dataDirectory)
    {
        var tree = Path.Combine(dataDirectory, "stricture");
        if (!Directory.Exists(tree))
        {
            return (0, 0, null);
        }
        var files = 0;
        var bad = 0;
        string? example = null;
        foreach (var file in Directory.EnumerateFiles(tree, "*.json*", SearchOption.AllDirectories))
        {
            files++;
            try
            {
                foreach (var line in File.ReadAllText(file).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var document = JsonDocument.Parse(line);
                }
            }
            catch (JsonException)
            {
                bad++;
                example ??= file;
            }
        }
        return (files, bad, example);
    }
}
