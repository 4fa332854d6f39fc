using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Stricture.Bench;

/// <summary>
/// The runs browser's pages (/ui/) against stores seeded as for discovery (<see cref="DiscoverySeeder"/>:
/// 1,000 services in 10 projects, one run per service a day, every fifth with a diff): for each store,
/// a server on it (start-up reconcile off), a check of each page, a warm-up, then the same requests
/// from one client, one at a time, as a browser asks for them (Accept: text/html). The target: each
/// page under 100 ms at 100,000 runs.
/// </summary>
internal static class UiBench
{
    private const double TargetMilliseconds = 100;

    public static async Task<string> RunAsync(BenchOptions options, string runDirectory, string command, Action<string> progress, CancellationToken cancellationToken)
    {
        var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown";
        var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
        var date = DateTimeOffset.UtcNow;
        var artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0)));
        var newestDay = DateOnly.FromDateTime(date.UtcDateTime);
        var pages = Pages(newestDay);
        var loadAtStart = LoadAverage.Read();
        var results = new List<(int Runs, TimeSpan Seed, Dictionary<string, LatencySummary> Latencies, Dictionary<string, int> Bytes)>();
        foreach (var size in options.UiSizes)
        {
            var directory = Path.Combine(runDirectory, $"data-ui-{size}");
            Directory.CreateDirectory(directory);
            progress($"ui seed {size:N0}: {size / DiscoverySeeder.Services} days of {DiscoverySeeder.Services:N0} services");
            var seed = await DiscoverySeeder.SeedAsync(directory, size, newestDay, artifact.Json, progress, cancellationToken);
            progress($"ui seed {size:N0}: {seed.TotalSeconds:0} s");
            Quiet.Settle();
            await using var server = await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory, directory, options.PhaseTimeout,
                new Dictionary<string, string> { ["STRICTURE_SERVER_RECONCILE_ON_START"] = "false" });
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
            var latencies = new Dictionary<string, LatencySummary>();
            var bytes = new Dictionary<string, int>();
            foreach (var (name, path, marker) in pages)
            {
                bytes[name] = await CheckAsync(client, path, marker, cancellationToken);
                for (var i = 0; i < Math.Max(20, options.QueryCount / 20); i++)
                {
                    await MeasureOnceAsync(client, path, cancellationToken);
                }
                // Pages are larger than API answers: a tenth of the query count keeps the run to minutes.
                var ticks = new long[Math.Max(50, options.QueryCount / 10)];
                for (var i = 0; i < ticks.Length; i++)
                {
                    ticks[i] = await MeasureOnceAsync(client, path, cancellationToken);
                }
                latencies[name] = LatencySummary.FromTimestampDeltas(ticks);
                progress($"ui {size:N0}: {name}: p50 {latencies[name].P50:0.00} ms, p99 {latencies[name].P99:0.00} ms");
            }
            results.Add((size, seed, latencies, bytes));
        }

        var report = new StringBuilder();
        ReportHeading.Append(report, "Runs browser pages", date, command, code, machine, loadAtStart);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- stores: {DiscoverySeeder.Services:N0} services in 10 projects, one run per service a day, every fifth with a high/medium/low diff; " +
            $"{Math.Max(50, options.QueryCount / 10):N0} measured requests per page, one client, after a warm-up; target p50 under {TargetMilliseconds:0} ms");
        report.AppendLine();
        report.Append("| page |");
        results.ForEach(result => report.Append(CultureInfo.InvariantCulture, $" p50 / p99 ms, {result.Runs:N0} runs |"));
        report.AppendLine(" page bytes |");
        report.Append("| --- |");
        results.ForEach(_ => report.Append(" --- |"));
        report.AppendLine(" --- |");
        foreach (var (name, _, _) in pages)
        {
            report.Append(CultureInfo.InvariantCulture, $"| {name} |");
            results.ForEach(result => report.Append(CultureInfo.InvariantCulture, $" {result.Latencies[name].P50:0.00} / {result.Latencies[name].P99:0.00} |"));
            report.AppendLine(CultureInfo.InvariantCulture, $" {results[^1].Bytes[name]:N0} |");
        }
        report.AppendLine();
        report.AppendLine(string.Join("; ", results.Select(result => string.Create(CultureInfo.InvariantCulture,
            $"seeding {result.Runs:N0} runs took {result.Seed.TotalSeconds:0} s"))) + ".");
        return report.ToString();
    }

    /// <summary>The measured pages: what each shows and a piece of markup a correct answer must contain.</summary>
    private static List<(string Name, string Path, string Marker)> Pages(DateOnly newestDay)
    {
        var today = newestDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ninetyDaysAgo = newestDay.AddDays(-89).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // svc-0000: every fifth service posts a diff every day, so its newest run has changes to list.
        var run = $"d{newestDay:yyyyMMdd}-0000";
        return
        [
            ("organisation, first 100 of 1,000 services, 30-day sparklines", "ui/orgs/acme", "<svg class=\"sparkline\""),
            ("organisation, one project (100 services)", "ui/orgs/acme?project=proj-0", "<svg class=\"sparkline\""),
            ("service, default 7 days", "ui/orgs/acme/proj-0/svc-0000", "<ol class=\"timeline\""),
            ("service, 90 days", $"ui/orgs/acme/proj-0/svc-0000?from={ninetyDaysAgo}&to={today}", "<ol class=\"timeline\""),
            ("run, with its changes", $"ui/orgs/acme/proj-0/svc-0000/runs/{run}", "<table class=\"data\" id=\"changes\""),
            ("drift feed, default (7 days, low and above)", "ui/orgs/acme/drift", "<table class=\"data\" id=\"feed\""),
            // The JSON answers over the same objects, measured in the same run: what the pages add to them.
            ("API baseline: services, all 1,000", "v1/orgs/acme/services?limit=1000", "\"services\""),
            ("API baseline: drift feed, default", "v1/orgs/acme/drift", "\"runs\""),
        ];
    }

    /// <summary>One answer must be 200 and show what the page is for; its length is reported.</summary>
    private static async Task<int> CheckAsync(HttpClient client, string path, string marker, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(marker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} without '{marker}': {body[..Math.Min(body.Length, 2000)]}");
        }
        return Encoding.UTF8.GetByteCount(body);
    }

    private static async Task<long> MeasureOnceAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetTimestamp() - started;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }
        return elapsed;
    }
}
