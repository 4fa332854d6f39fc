using System.Globalization;

namespace Stricture.Reliability;

/// <summary>Command-line settings of the reliability run. Defaults are the documented run; every loop is bounded by them.</summary>
internal sealed record ReliabilityOptions
{
    public static readonly string[] AllScenarios = ["kill", "disk", "outage", "soak"];

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>Drivers the kill cycles run on; the outages run on those of them that use the object store.</summary>
    public IReadOnlyList<string> Drivers { get; init; } = ["fs", "s3", "mirror"];

    /// <summary>SIGKILLs of the ingest server per driver.</summary>
    public int Cycles { get; init; } = 20;

    public int Concurrency { get; init; } = 16;

    /// <summary>
    /// How long the object store stays paused, and stays down after a kill. Longer than the s3
    /// driver's patience (a 10 s request timeout, retried), so a paused store is seen as down.
    /// </summary>
    public TimeSpan OutageDuration { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan SoakWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on any one wait (load to flow, recovery, verify to come clean): a phase that runs out fails the run.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Longest wait for mirror mode's replicator to drain the backlog an outage or the kill cycles left.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Seeds the kill points and the load's choice of retries, so a run can be repeated.</summary>
    public int Seed { get; init; } = 20;

    public string ServerDll { get; init; } = "Stricture.Ingest/bin/Release/net10.0/Stricture.Ingest.dll";

    public string ReplicatorDll { get; init; } = "Stricture.Replicator/bin/Release/net10.0/Stricture.Replicator.dll";

    public string WorkDirectory { get; init; } = "bench/results";

    public bool NeedsObjectStore => Scenarios.Contains("outage") || (Scenarios.Contains("kill") && Drivers.Any(d => d != "fs"));

    public static ReliabilityOptions Parse(string[] args)
    {
        var options = new ReliabilityOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--scenario" => options with { Scenarios = List(args[i], value, AllScenarios) },
                "--drivers" => options with { Drivers = List(args[i], value, ["fs", "s3", "mirror"]) },
                "--cycles" => options with { Cycles = Positive(args[i], value, 1_000) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value, 256) },
                "--outage-seconds" => options with { OutageDuration = TimeSpan.FromSeconds(Positive(args[i], value, 600)) },
                "--soak-minutes" => options with { SoakDuration = TimeSpan.FromMinutes(Positive(args[i], value, 24 * 60)) },
                "--soak-window-minutes" => options with { SoakWindow = TimeSpan.FromMinutes(Positive(args[i], value, 24 * 60)) },
                "--phase-timeout" => options with { PhaseTimeout = TimeSpan.FromSeconds(Positive(args[i], value, 3_600)) },
                "--seed" => options with { Seed = Positive(args[i], value, int.MaxValue) },
                "--server" => options with { ServerDll = value },
                "--replicator" => options with { ReplicatorDll = value },
                "--work-dir" => options with { WorkDirectory = value },
                _ => throw new ArgumentException(
                    $"Unknown option '{args[i]}'. Options: --scenario kill,disk,outage,soak, --drivers fs,s3,mirror, --cycles N, --concurrency N, " +
                    "--outage-seconds S, --soak-minutes M, --soak-window-minutes M, --phase-timeout S, --seed N, --server PATH.dll, " +
                    "--replicator PATH.dll, --work-dir DIR."),
            };
            i++;
        }
        return options;
    }

    private static string[] List(string name, string value, string[] allowed)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 && items.All(allowed.Contains)
            ? items
            : throw new ArgumentException($"{name} takes a comma-separated list of {string.Join(", ", allowed)}, not '{value}'.");
    }

    private static int Positive(string name, string value, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from 1 to {max}, not '{value}'.");
}
