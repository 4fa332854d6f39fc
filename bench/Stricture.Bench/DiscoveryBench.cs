using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Stricture.Bench;

/// <summary>
/// The organization-wide read API (the services listing, the drift feed and the runs of a commit, across
/// the organization and within a service over all history) against stores of the
/// same 1,000 services with growing history: for each store, a server on it (start-up reconcile off,
/// so nothing runs beside the queries), a check of each answer, a warm-up, then the same requests
/// from one client, measured one at a time. Flat means the p50 of the largest store is that of the
/// smallest: the answers come from derived objects whose size follows the services and the day, not
/// the history.
/// </summary>
internal static class DiscoveryBench
{
    private static readonly string[] QueryNames =
    [
        "services, first page (100)",
        "services, all 1,000",
        "drift feed, default (7 days, low+, 50)",
        "drift feed, high, one project",
        "runs of a commit, full SHA",
        "runs of a commit, 4-character prefix",
        "a service's runs of a commit, all history",
    ];

    /// <summary>The queries against a store of <paramref name="runs"/> runs; the commit is that of the run halfway through its history.</summary>
    private static (string Name, string Path)[] Queries(int runs)
    {
        var middle = runs / 2;
        var commit = DiscoverySeeder.CommitOf(middle);
        var service = DiscoverySeeder.ServiceOf(middle % DiscoverySeeder.Services);
        string[] paths =
        [
            "v1/orgs/acme/services?limit=100",
            "v1/orgs/acme/services?limit=1000",
            "v1/orgs/acme/drift",
            "v1/orgs/acme/drift?min_severity=high&project=proj-0",
            $"v1/commits/{commit}?organization=acme",
            $"v1/commits/{commit[..4]}?organization=acme",
            $"v1/runs/acme/{service.Project}/{service.Service}?commit={commit[..7]}",
        ];
        return [.. QueryNames.Zip(paths)];
    }

    public static async Task<string> RunAsync(BenchOptions options, string runDirectory, string command, Action<string> progress, CancellationToken cancellationToken)
    {
        var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown";
        var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
        var date = DateTimeOffset.UtcNow;
        var artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0)));
        var newestDay = DateOnly.FromDateTime(date.UtcDateTime);
        var loadAtStart = LoadAverage.Read();
        var results = new List<(int Runs, TimeSpan Seed, Dictionary<string, LatencySummary> Latencies, Dictionary<string, int> Bytes)>();
        foreach (var size in options.DiscoverySizes)
        {
            var directory = Path.Combine(runDirectory, $"data-discovery-{size}");
            Directory.CreateDirectory(directory);
            progress($"discovery seed {size:N0}: {size / DiscoverySeeder.Services} days of {DiscoverySeeder.Services:N0} services");
            var seed = await DiscoverySeeder.SeedAsync(directory, size, newestDay, artifact.Json, progress, cancellationToken);
            progress($"discovery seed {size:N0}: {seed.TotalSeconds:0} s");
            Quiet.Settle();
            await using var server = await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory, directory, options.PhaseTimeout,
                new Dictionary<string, string> { ["STRICTURE_SERVER_RECONCILE_ON_START"] = "false" });
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            var latencies = new Dictionary<string, LatencySummary>();
            var bytes = new Dictionary<string, int>();
            foreach (var (name, path) in Queries(size))
            {
                bytes[name] = await CheckAsync(client, path, cancellationToken);
                for (var i = 0; i < Math.Max(20, options.QueryCount / 10); i++)
                {
                    await MeasureOnceAsync(client, path, bytes[name], cancellationToken);
                }
                var ticks = new long[options.QueryCount];
                for (var i = 0; i < ticks.Length; i++)
                {
                    ticks[i] = await MeasureOnceAsync(client, path, bytes[name], cancellationToken);
                }
                latencies[name] = LatencySummary.FromTimestampDeltas(ticks);
                progress($"discovery {size:N0}: {name}: p50 {latencies[name].P50:0.00} ms");
            }
            results.Add((size, seed, latencies, bytes));
        }

        var report = new StringBuilder();
        ReportHeading.Append(report, "Discovery and drift feed: p50 against history", date, command, code, machine, loadAtStart);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- stores: {DiscoverySeeder.Services:N0} services in 10 projects, one run per service a day, every fifth with a high/medium/low diff; " +
            $"{options.QueryCount:N0} measured requests per query, one client, after a warm-up");
        report.AppendLine();
        report.Append("| query |");
        results.ForEach(result => report.Append(CultureInfo.InvariantCulture, $" p50 / p99 ms, {result.Runs:N0} runs |"));
        report.AppendLine(" answer bytes |");
        report.Append("| --- |");
        results.ForEach(_ => report.Append(" --- |"));
        report.AppendLine(" --- |");
        foreach (var name in QueryNames)
        {
            report.Append(CultureInfo.InvariantCulture, $"| {name} |");
            results.ForEach(result => report.Append(CultureInfo.InvariantCulture, $" {result.Latencies[name].P50:0.00} / {result.Latencies[name].P99:0.00} |"));
            report.AppendLine(CultureInfo.InvariantCulture, $" {results[0].Bytes[name]:N0} |");
        }
        report.AppendLine();
        report.AppendLine(string.Join("; ", results.Select(result => string.Create(CultureInfo.InvariantCulture,
            $"seeding {result.Runs:N0} runs took {result.Seed.TotalSeconds:0} s"))) + ".");
        return report.ToString();
    }

    /// <summary>One answer must be 200 and non-empty; its length is what every measured answer must have.</summary>
    private static async Task<int> CheckAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }
        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.TryGetProperty("services", out var services) ? services.GetArrayLength() : json.RootElement.GetProperty("runs").GetArrayLength();
        if (items == 0)
        {
            throw new InvalidOperationException($"GET {path} answered no items.");
        }
        return body.Length;
    }

    private static async Task<long> MeasureOnceAsync(HttpClient client, string path, int expectedBytes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetTimestamp() - started;
        if (response.StatusCode != HttpStatusCode.OK || body.Length != expectedBytes)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} with {body.Length} bytes (expected 200 with {expectedBytes}).");
        }
        return elapsed;
    }
}
