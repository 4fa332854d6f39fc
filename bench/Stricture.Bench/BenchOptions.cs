using System.Globalization;

namespace Stricture.Bench;

/// <summary>
/// What the run measures: ingest on the fs driver (the default, unchanged), ingest on s3, both in one
/// process (all), the read API against stores of growing history (query; not part of all, as
/// seeding its stores takes minutes), or mirror mode's replication against raw PUTs and its lag
/// under a steady load (mirror; not part of all either).
/// </summary>
internal enum BenchScenario
{
    Fs,
    S3,
    All,
    Query,
    Discovery,
    Batch,
    Ui,
    Mirror,
    Replicas,
    BlastRadius,
}

/// <summary>Command-line settings. Defaults are the documented run; every loop is bounded by them.</summary>
internal sealed record BenchOptions
{
    /// <summary>Measured ingest posts, and durable writes per baseline run (same count, so the ratio compares like with like).</summary>
    public int Count { get; init; } = 20_000;

    /// <summary>
    /// Count for the s3 scenario: an S3 PUT costs far more than a local durable write (Ceph here does
    /// about 500 PUT/s), so the same count would take minutes; --count sets both.
    /// </summary>
    public int S3Count { get; init; } = 6_000;

    public BenchScenario Scenario { get; init; } = BenchScenario.Fs;

    public bool RunsFs => Scenario is BenchScenario.Fs or BenchScenario.All;

    public bool RunsS3 => Scenario is BenchScenario.S3 or BenchScenario.All;

    public bool RunsQuery => Scenario is BenchScenario.Query;

    public bool RunsDiscovery => Scenario is BenchScenario.Discovery;

    /// <summary>Batches of 100 against single posts, items/s, in one run (not part of all).</summary>
    public bool RunsBatch => Scenario is BenchScenario.Batch;

    /// <summary>Discovery scenario: runs in each store (multiples of 1,000: one run per service a day), smallest first.</summary>
    public IReadOnlyList<int> DiscoverySizes { get; init; } = [20_000, 100_000];

    public bool RunsUi => Scenario is BenchScenario.Ui;

    /// <summary>Ui scenario: runs in each store, seeded as for discovery (1,000 services, one run each a day).</summary>
    public IReadOnlyList<int> UiSizes { get; init; } = [100_000];

    public bool RunsMirror => Scenario is BenchScenario.Mirror;

    public bool RunsReplicas => Scenario is BenchScenario.Replicas;

    /// <summary>Ingest with the blast radius against ingest without it, 1,000 services (not part of all).</summary>
    public bool RunsBlastRadius => Scenario is BenchScenario.BlastRadius;

    /// <summary>
    /// Mirror scenario: runs seeded into the data directory and spooled, then copied by the
    /// replicator and PUT by each raw baseline (in slices of MirrorRuns / Slices); --count sets it too.
    /// </summary>
    public int MirrorRuns { get; init; } = 3_000;

    /// <summary>Mirror scenario: how long the steady load at half the replication rate lasts while the lag is sampled.</summary>
    public TimeSpan MirrorLagDuration { get; init; } = TimeSpan.FromSeconds(60);

    public string ReplicatorDll { get; init; } = "Stricture.Replicator/bin/Release/net10.0/Stricture.Replicator.dll";

    /// <summary>
    /// Query scenario: how many runs each store holds, smallest first; the smallest is the baseline
    /// the others are compared with. Each is a multiple of <see cref="RunsPerDay"/>.
    /// </summary>
    public IReadOnlyList<int> QuerySizes { get; init; } = [1_000, 10_000, 100_000];

    /// <summary>
    /// Query scenario: runs per day of history in every store, so a 7-day window holds the same runs
    /// whatever the store's size and only the length of the history grows. Mirror scenario: how the
    /// seeded and posted runs are dated, which sets how large the day manifests the replicator
    /// merges into grow.
    /// </summary>
    public int RunsPerDay { get; init; } = 100;

    /// <summary>
    /// Query scenario: measured latest and /healthz requests per store and mode (one client, then
    /// <see cref="QueryConcurrency"/>); range queries get a quarter of it, runs by id half.
    /// </summary>
    public int QueryCount { get; init; } = 2_000;

    /// <summary>Query scenario: concurrent clients in the concurrent mode (one client is always measured too).</summary>
    public int QueryConcurrency { get; init; } = 8;

    /// <summary>Baseline and ingest alternate in this many slices of Count / Slices operations each.</summary>
    public int Slices { get; init; } = 4;

    /// <summary>Concurrent clients and baseline writers.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Posts sent before measuring, so JIT and first-directory creation are not counted.</summary>
    public int WarmUp { get; init; } = 200;

    /// <summary>Whether --warmup was given (otherwise each scenario's own default applies).</summary>
    public bool WarmUpGiven { get; init; }

    /// <summary>
    /// Unmeasured posts and baseline operations before the fs and s3 throughput slices. A fresh
    /// server on 2 vCPUs keeps getting faster for about 20 seconds of full load while tiered JIT
    /// (with dynamic PGO) recompiles its hot paths: after 200 posts its first slice ran at 981 posts/s
    /// and its later ones at 1,415 to 1,981. The slices measure the steady state, as a long-running
    /// server is in it.
    /// </summary>
    public int IngestWarmUp => WarmUpGiven ? WarmUp : 5_000;

    /// <summary>
    /// Unmeasured runs the mirror throughput phase replicates and PUTs raw before its slices, so they
    /// measure a long-running replicator's steady state. A profile of the replicator during the slices
    /// found 58% of its samples in the tiered JIT's thread after 200 runs (the AWS SDK is about 14,000
    /// methods), and still 40% after 2,000. 6,000 comes closer; slices of one run still differ by up to ±0.1.
    /// </summary>
    public int MirrorWarmUp => WarmUpGiven ? WarmUp : 6_000;

    /// <summary>
    /// Ingest posts dated each day; 0 (the default) dates them all on one day, as before issue 4.
    /// Since issue 4 every post also rewrites its day's manifest, so this decides how large that grows.
    /// </summary>
    public int IngestRunsPerDay { get; init; }

    /// <summary>
    /// Services of one organization the fs and s3 posts are spread over, each in turn (1, the default:
    /// all to one service), for the check that cost does not grow with history spread over
    /// many services either.
    /// </summary>
    public int IngestServices { get; init; } = 1;

    public int LargePosts { get; init; } = 32;

    public int LargeRounds { get; init; } = 2;

    /// <summary>Upper bound on any one phase; a phase that runs out of time fails the run rather than report a partial number.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(300);

    public string ServerDll { get; init; } = "Stricture.Ingest/bin/Release/net10.0/Stricture.Ingest.dll";

    /// <summary>The server's working directory (its content root); null for the directory of the server dll.</summary>
    public string? ServerWorkingDirectory { get; init; }

    /// <summary>Where temp data directories go: on the same filesystem as the repository (bench/results is gitignored).</summary>
    public string WorkDirectory { get; init; } = "bench/results";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--scenario" => options with { Scenario = ParseScenario(value) },
                "--count" => options with { Count = Positive(args[i], value), S3Count = Positive(args[i], value), MirrorRuns = Positive(args[i], value) },
                "--slices" => options with { Slices = Positive(args[i], value, max: 99) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value) },
                "--warmup" => options with { WarmUp = Positive(args[i], value), WarmUpGiven = true },
                "--ingest-runs-per-day" => options with { IngestRunsPerDay = Positive(args[i], value) },
                "--ingest-services" => options with { IngestServices = Positive(args[i], value, max: 99_999) },
                "--large-posts" => options with { LargePosts = Positive(args[i], value) },
                "--large-rounds" => options with { LargeRounds = Positive(args[i], value, max: 99) },
                "--query-sizes" => options with { QuerySizes = Sizes(args[i], value) },
                "--discovery-sizes" => options with { DiscoverySizes = Sizes(args[i], value) },
                "--ui-sizes" => options with { UiSizes = Sizes(args[i], value) },
                "--runs-per-day" => options with { RunsPerDay = Positive(args[i], value, max: 10_000) },
                "--query-count" => options with { QueryCount = Positive(args[i], value) },
                "--query-concurrency" => options with { QueryConcurrency = Positive(args[i], value, max: 256) },
                "--mirror-runs" => options with { MirrorRuns = Positive(args[i], value) },
                "--mirror-lag-seconds" => options with { MirrorLagDuration = TimeSpan.FromSeconds(Positive(args[i], value, max: 3_600)) },
                "--replicator" => options with { ReplicatorDll = value },
                "--phase-timeout" => options with { PhaseTimeout = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--server" => options with { ServerDll = value },
                "--server-cwd" => options with { ServerWorkingDirectory = value },
                "--work-dir" => options with { WorkDirectory = value },
                _ => throw new ArgumentException(
                    $"Unknown option '{args[i]}'. Options: --scenario fs|s3|all|query|discovery|batch|ui|mirror|replicas|blast, --count N, --slices N, --concurrency N, --warmup N, --ingest-runs-per-day N, --ingest-services N, --large-posts N, " +
                    "--large-rounds N, --query-sizes N,N,..., --discovery-sizes N,N,..., --ui-sizes N,N,..., --runs-per-day N, --query-count N, --query-concurrency N, " +
                    "--mirror-runs N, --mirror-lag-seconds S, --phase-timeout SECONDS, --server PATH.dll, --replicator PATH.dll, " +
                    "--server-cwd DIR, --work-dir DIR."),
            };
            i++;
        }
        if (Math.Min(Math.Min(options.Count, options.S3Count), options.MirrorRuns) < options.Slices)
        {
            throw new ArgumentException($"--count ({options.Count}) must be at least --slices ({options.Slices}).");
        }
        // Every round measures at least one range query of every store.
        if (options.QueryCount < 4 * options.Slices)
        {
            throw new ArgumentException($"--query-count ({options.QueryCount}) must be at least 4 × --slices ({4 * options.Slices}).");
        }
        // A store's newest seven days must be full, so every store's range query returns the same runs.
        if (options.DiscoverySizes.FirstOrDefault(size => size % 1_000 != 0 || size < 7_000) is var badDiscovery and > 0)
        {
            throw new ArgumentException($"--discovery-sizes: {badDiscovery} is not a multiple of 1,000 (one run per service a day) of at least seven days (7,000).");
        }
        if (options.UiSizes.FirstOrDefault(size => size % 1_000 != 0 || size < 7_000) is var badUi and > 0)
        {
            throw new ArgumentException($"--ui-sizes: {badUi} is not a multiple of 1,000 (one run per service a day) of at least seven days (7,000).");
        }
        if (options.QuerySizes.FirstOrDefault(size => size % options.RunsPerDay != 0 || size < 7 * options.RunsPerDay) is var bad and > 0)
        {
            throw new ArgumentException(
                $"--query-sizes: {bad} is not a multiple of --runs-per-day ({options.RunsPerDay}) of at least seven days ({7 * options.RunsPerDay}).");
        }
        return options;
    }

    private static IReadOnlyList<int> Sizes(string name, string value)
    {
        var sizes = value.Split(',').Select(part => Positive(name, part)).ToList();
        return sizes.Zip(sizes.Skip(1)).All(pair => pair.First < pair.Second)
            ? sizes
            : throw new ArgumentException($"{name} must be increasing, smallest (the baseline) first, not '{value}'.");
    }

    private static BenchScenario ParseScenario(string value) => value switch
    {
        "fs" => BenchScenario.Fs,
        "s3" => BenchScenario.S3,
        "all" => BenchScenario.All,
        "query" => BenchScenario.Query,
        "discovery" => BenchScenario.Discovery,
        "batch" => BenchScenario.Batch,
        "ui" => BenchScenario.Ui,
        "mirror" => BenchScenario.Mirror,
        "replicas" => BenchScenario.Replicas,
        "blast" => BenchScenario.BlastRadius,
        _ => throw new ArgumentException($"--scenario must be fs, s3, all, query, discovery, batch, ui, mirror, replicas or blast, not '{value}'."),
    };

    // Run ids are fixed-width (bodies of a phase must have equal sizes), so slice and round numbers stay below 100.
    private static int Positive(string name, string value, int max = int.MaxValue) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed <= max
            ? parsed
            : throw new ArgumentException($"{name} must be a whole number from 1 to {max}, not '{value}'.");
}
