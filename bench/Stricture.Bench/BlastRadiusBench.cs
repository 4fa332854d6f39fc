using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Stricture.Bench;

/// <summary>
/// Ingest with the blast-radius step against ingest without it (STRICTURE_SERVER_BLAST_RADIUS=off),
/// in the same run: two servers (fs driver), each seeded with the same organization of 1,000 services
/// whose exports read each other (<see cref="BlastRadiusBodies"/>), then the same posts, each a new
/// run of a service with a diff, to one server and then the other in alternating slices (ABBA), so
/// load that comes and goes on the machine falls on both sides alike. One server idles while the
/// other is measured.
/// </summary>
internal static class BlastRadiusBench
{
    /// <summary>The issue's bar: ingest with the blast radius within 10% of ingest without it.</summary>
    private const double Target = 0.9;

    public static async Task<(string Report, IReadOnlyList<string> Errors)> RunAsync(
        BenchOptions options, string runDirectory, string command, Action<string> progress, CancellationToken cancellationToken)
    {
        var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown";
        var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
        var date = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage.Read();
        var errors = new List<string>();

        await using var with = await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory, Path.Combine(runDirectory, "data-blast-on"),
            TimeSpan.FromSeconds(30));
        await using var without = await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory, Path.Combine(runDirectory, "data-blast-off"),
            TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["STRICTURE_SERVER_BLAST_RADIUS"] = "off" });
        progress($"blast radius: server pid {with.Pid} (on) on {with.BaseAddress}, pid {without.Pid} (off) on {without.BaseAddress}");

        using var withLoad = new IngestLoad(with, options, BlastRadiusBodies.Measured);
        using var withoutLoad = new IngestLoad(without, options, BlastRadiusBodies.Measured);
        foreach (var (server, name) in new[] { (with, "on"), (without, "off") })
        {
            var seeded = await SeedAsync(server, options, cancellationToken);
            progress($"seeded {BlastRadiusBodies.Services:N0} services ({name}) in {seeded.TotalSeconds:0.0} s");
        }
        // Both sides are checked before measuring: the "on" side must really classify downstream impact, the "off" side must not.
        errors.AddRange(await ProbeAsync(with, expectImpact: true, cancellationToken));
        errors.AddRange(await ProbeAsync(without, expectImpact: false, cancellationToken));
        if (errors.Count > 0)
        {
            return ("", errors);
        }
        await withLoad.WarmUpAsync(0, options.WarmUp, cancellationToken);
        await withoutLoad.WarmUpAsync(0, options.WarmUp, cancellationToken);

        var slices = new List<(IngestSlice With, IngestSlice Without)>();
        for (var i = 0; i < options.Slices; i++)
        {
            var count = options.Count / options.Slices;
            var slice = i;
            async Task<IngestSlice> MeasureAsync(IngestLoad load)
            {
                Quiet.Settle();
                return await load.RunSliceAsync(slice, count, cancellationToken);
            }
            IngestSlice on, off;
            if (i % 2 == 0)
            {
                off = await MeasureAsync(withoutLoad);
                on = await MeasureAsync(withLoad);
            }
            else
            {
                on = await MeasureAsync(withLoad);
                off = await MeasureAsync(withoutLoad);
            }
            if (on.Failed + off.Failed > 0)
            {
                throw new InvalidOperationException($"slice {i + 1}: {on.Failed} posts (on) and {off.Failed} posts (off) failed: " +
                                                    string.Join(" | ", on.FailureSamples.Concat(off.FailureSamples)));
            }
            slices.Add((on, off));
            progress($"slice {i + 1}/{options.Slices}: with {on.PerSecond:N0} posts/s, without {off.PerSecond:N0} posts/s (ratio {on.PerSecond / off.PerSecond:0.00})");
        }

        var onCpu = CpuUsage.Sum(slices.Select(s => s.With.Cpu));
        var offCpu = CpuUsage.Sum(slices.Select(s => s.Without.Cpu));
        var posts = slices.Sum(s => s.With.Count);
        var (onRate, offRate) = (posts / onCpu.Elapsed.TotalSeconds, posts / offCpu.Elapsed.TotalSeconds);
        var onLatency = LatencySummary.FromTimestampDeltas([.. slices.SelectMany(s => s.With.Latencies)]);
        var offLatency = LatencySummary.FromTimestampDeltas([.. slices.SelectMany(s => s.Without.Latencies)]);

        var report = new StringBuilder();
        ReportHeading.Append(report, "Ingest with the blast radius against ingest without it, 1,000 services", date, command, code, machine, loadAtStart);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- {posts:N0} posts to each server ({options.Concurrency} clients), each a new run of one of {BlastRadiusBodies.Services:N0} seeded services " +
            $"with a {BlastRadiusBodies.ExportBytes:N0}-byte export and a two-change diff (one downstream, one self-only), in {options.Slices} alternating slices, fs driver");
        report.AppendLine();
        report.AppendLine("| slice | with (posts/s) | without (posts/s) | with ÷ without |");
        report.AppendLine("| --- | --- | --- | --- |");
        foreach (var (slice, index) in slices.Select((slice, index) => (slice, index + 1)))
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {index} | {slice.With.PerSecond:N0} | {slice.Without.PerSecond:N0} | {slice.With.PerSecond / slice.Without.PerSecond:0.00} |");
        }
        // Like the other scenarios, a missed target is reported, not an error: the exit code says whether every answer was right.
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| all | {onRate:N0} | {offRate:N0} | **{onRate / offRate:0.00}** (target ≥ {Target:0.0}: {(onRate / offRate >= Target ? "met" : "**not met**")}) |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Server CPU per post: with {onCpu.ServerCpu.TotalMilliseconds / posts:0.000} ms, without {offCpu.ServerCpu.TotalMilliseconds / posts:0.000} ms; " +
            $"p50 / p99: with {onLatency.P50:0.0} / {onLatency.P99:0.0} ms, without {offLatency.P50:0.0} / {offLatency.P99:0.0} ms; " +
            $"machine busy {onCpu.BusyPercent:0}% / {offCpu.BusyPercent:0}%.");
        return (report.ToString(), errors);
    }

    /// <summary>Each service's first run, posted by the same closed loop as the measured posts.</summary>
    private static async Task<TimeSpan> SeedAsync(ServerProcess server, BenchOptions options, CancellationToken cancellationToken)
    {
        using var seeder = new IngestLoad(server, options, (_, service) => BlastRadiusBodies.Seed(service));
        var seeded = await seeder.RunSliceAsync(0, BlastRadiusBodies.Services, cancellationToken);
        return seeded.Failed == 0
            ? seeded.Cpu.Elapsed
            : throw new InvalidOperationException($"{seeded.Failed} seed posts were not answered 202: {string.Join(" | ", seeded.FailureSamples)}");
    }

    /// <summary>One measured-shape post: on, its 202 must name one downstream service; off, no impact at all.</summary>
    private static async Task<IEnumerable<string>> ProbeAsync(ServerProcess server, bool expectImpact, CancellationToken cancellationToken)
    {
        using var client = IngestLoad.NewClient(server.BaseAddress, 1);
        using var content = BlastRadiusBodies.Measured("probe", 0);
        using var response = await client.PostAsync("v1/artifacts", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return [$"probe post answered {(int)response.StatusCode}: {body}"];
        }
        using var answer = JsonDocument.Parse(body);
        var impact = answer.RootElement.GetProperty("impact");
        var seen = impact.ValueKind == JsonValueKind.Null
            ? "no impact"
            : $"{impact.GetProperty("scope").GetString()}, {impact.GetProperty("services").GetArrayLength()} service(s)";
        var expected = expectImpact ? "downstream, 1 service(s)" : "no impact";
        return seen == expected ? [] : [$"the probe post with the blast radius {(expectImpact ? "on" : "off")} answered {seen}, not {expected}: {body}"];
    }
}
