using System.Globalization;

namespace Stricture.Bench;

/// <summary>Which storage driver the run measures: fs (the default, unchanged), s3, or both in one process.</summary>
internal enum BenchScenario
{
    Fs,
    S3,
    All,
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

    /// <summary>Baseline and ingest alternate in this many slices of Count / Slices operations each.</summary>
    public int Slices { get; init; } = 4;

    /// <summary>Concurrent clients and baseline writers.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Posts sent before measuring, so JIT and first-directory creation are not counted.</summary>
    public int WarmUp { get; init; } = 200;

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
                "--count" => options with { Count = Positive(args[i], value), S3Count = Positive(args[i], value) },
                "--slices" => options with { Slices = Positive(args[i], value, max: 99) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value) },
                "--warmup" => options with { WarmUp = Positive(args[i], value) },
                "--large-posts" => options with { LargePosts = Positive(args[i], value) },
                "--large-rounds" => options with { LargeRounds = Positive(args[i], value, max: 99) },
                "--phase-timeout" => options with { PhaseTimeout = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--server" => options with { ServerDll = value },
                "--server-cwd" => options with { ServerWorkingDirectory = value },
                "--work-dir" => options with { WorkDirectory = value },
                _ => throw new ArgumentException(
                    $"Unknown option '{args[i]}'. Options: --scenario fs|s3|all, --count N, --slices N, --concurrency N, --warmup N, --large-posts N, " +
                    "--large-rounds N, --phase-timeout SECONDS, --server PATH.dll, --server-cwd DIR, --work-dir DIR."),
            };
            i++;
        }
        return Math.Min(options.Count, options.S3Count) >= options.Slices
            ? options
            : throw new ArgumentException($"--count ({options.Count}) must be at least --slices ({options.Slices}).");
    }

    private static BenchScenario ParseScenario(string value) => value switch
    {
        "fs" => BenchScenario.Fs,
        "s3" => BenchScenario.S3,
        "all" => BenchScenario.All,
        _ => throw new ArgumentException($"--scenario must be fs, s3 or all, not '{value}'."),
    };

    // Run ids are fixed-width (bodies of a phase must have equal sizes), so slice and round numbers stay below 100.
    private static int Positive(string name, string value, int max = int.MaxValue) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && parsed <= max
            ? parsed
            : throw new ArgumentException($"{name} must be a whole number from 1 to {max}, not '{value}'.");
}
