using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// Steady mixed load on one server for a set time (the fs driver): paced posts (one in ten a retry
/// of an acknowledged run) and reads (latest, a run by id, a date-range page). Every 10 s the
/// server's RSS and thread count are sampled; per window: requests, errors, p50/p99 latency, and
/// RSS and threads at the window's end. Flat memory and threads and zero errors are the goal. At the
/// end every acknowledged run is read back, hashed and looked for in the listing.
/// </summary>
internal static class Soak
{
    private const int Posters = 8;
    private const int Readers = 2;
    private static readonly TimeSpan PostPause = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public static async Task<ScenarioResult> RunAsync(Harness harness, CancellationToken cancellationToken)
    {
        var options = harness.Options;
        var ledger = new AckLedger("rel", "soak", "fs");
        var data = Path.Combine(harness.RunDirectory, "soak");
        var failures = new List<string>();
        var samples = new List<(TimeSpan At, long RssKiB, int Threads)>();
        var reads = new ConcurrentQueue<Answer>();

        await using var server = await harness.StartServerAsync(data, null);
        var start = PostLoad.Now;
        var load = new PostLoad(server.BaseAddress, ledger, "s", Posters, PostPause, options.Seed);
        using var stopReaders = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(() => ReadAsync(server, ledger, reads, new Random(options.Seed + r), stopReaders.Token))).ToArray();
        await using (load)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < options.SoakDuration)
            {
                samples.Add((clock.Elapsed, server.ReadMemory().RssKiB, Threads(server.Pid)));
                var next = TimeSpan.FromTicks(Math.Min(SampleEvery.Ticks, (options.SoakDuration - clock.Elapsed).Ticks));
                await Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.Zero, cancellationToken);
            }
            samples.Add((clock.Elapsed, server.ReadMemory().RssKiB, Threads(server.Pid)));
            await stopReaders.CancelAsync();
            await Task.WhenAll(readers);
        }
        failures.AddRange(load.Findings.Take(10));

        var answers = load.Answers.Concat(reads).ToList();
        var rows = new List<(string, string)>
        {
            ("duration", $"{options.SoakDuration.TotalMinutes:0.#} min, windows of {options.SoakWindow.TotalMinutes:0.#} min"),
            ("load", $"{Posters} posting clients pausing {PostPause.TotalMilliseconds:0} ms between posts (one in ten a retry), {Readers} reading clients (latest, by id, a listing page)"),
            ("posts / reads", $"{answers.Count(a => a.IsPost):N0} / {answers.Count(a => !a.IsPost):N0}"),
            ("errors (anything but 202 for a post, 200 for a read)", $"{answers.Count(a => a.IsPost ? a.Status != 202 : a.Status != 200):N0}"),
        };
        var windows = (int)Math.Ceiling(options.SoakDuration / options.SoakWindow);
        for (var w = 0; w < windows; w++)
        {
            var from = start + (long)(options.SoakWindow.TotalSeconds * w * Stopwatch.Frequency);
            var to = start + (long)(options.SoakWindow.TotalSeconds * (w + 1) * Stopwatch.Frequency);
            var inWindow = answers.Where(a => a.At >= from && a.At < to).ToList();
            var posts = inWindow.Where(a => a.IsPost).Select(a => a.Latency.TotalMilliseconds).Order().ToList();
            var gets = inWindow.Where(a => !a.IsPost).Select(a => a.Latency.TotalMilliseconds).Order().ToList();
            var errors = inWindow.Count(a => a.IsPost ? a.Status != 202 : a.Status != 200);
            var end = options.SoakWindow * (w + 1);
            var sample = samples.LastOrDefault(s => s.At <= end + SampleEvery / 2);
            rows.Add(($"window {w + 1} (to {end.TotalMinutes:0.#} min)",
                $"{posts.Count:N0} posts p50 {Percentile(posts, 0.50):0.0} ms p99 {Percentile(posts, 0.99):0.0} ms; " +
                $"{gets.Count:N0} reads p99 {Percentile(gets, 0.99):0.0} ms; {errors} errors; RSS {sample.RssKiB / 1024.0:0} MiB, {sample.Threads} threads"));
        }
        rows.Add(("RSS over the run (every 10 s), MiB", Series(samples.Select(s => s.RssKiB / 1024.0))));
        rows.Add(("threads over the run (every 10 s)", Series(samples.Select(s => (double)s.Threads))));

        using var reader = Harness.ClientFor(server);
        var check = await ledger.CheckAsync(reader, ledger.All, checkListing: true, cancellationToken);
        rows.Add(("acknowledged runs: lost / torn / not listed", $"{check.Lost} / {check.Torn} / {check.NotListed} of {check.Checked:N0}"));
        if (!check.Clean)
        {
            failures.Add(check.ToString());
        }
        var errorCount = answers.Count(a => a.IsPost ? a.Status != 202 : a.Status != 200);
        if (errorCount > 0)
        {
            failures.Add($"{errorCount} requests were not answered 202 (posts) or 200 (reads)");
        }
        return new ScenarioResult($"Soak, fs driver, {options.SoakDuration.TotalMinutes:0.#} minutes", rows, failures);
    }

    private static async Task ReadAsync(ServerProcess server, AckLedger ledger, ConcurrentQueue<Answer> reads, Random random, CancellationToken stop)
    {
        using var client = Harness.ClientFor(server);
        var service = $"v1/runs/{ledger.Organization}/{ledger.Project}/{ledger.Service}";
        while (!stop.IsCancellationRequested)
        {
            var run = ledger.Random(random);
            var kind = run is null ? 0 : random.Next(3);
            var path = kind switch
            {
                0 => $"{service}/latest",
                1 => $"{service}/{run!.RunId}",
                _ => $"{service}/?limit=100",
            };
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(path, stop);
                await response.Content.ReadAsByteArrayAsync(stop);
                // Before the first post there is no latest run yet: a 404 then is right, not an error.
                var status = response.StatusCode == HttpStatusCode.NotFound && run is null ? 200 : (int)response.StatusCode;
                reads.Enqueue(new Answer(Stopwatch.GetTimestamp(), status, Stopwatch.GetElapsedTime(started), false));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException)
            {
                reads.Enqueue(new Answer(Stopwatch.GetTimestamp(), 0, Stopwatch.GetElapsedTime(started), false));
            }
            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static int Threads(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("Threads:", StringComparison.Ordinal))
            .Select(l => int.Parse(l["Threads:".Length..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>A series of samples, thinned to at most 16 values, first and last kept.</summary>
    private static string Series(IEnumerable<double> values)
    {
        var all = values.ToList();
        var step = Math.Max(1, (int)Math.Ceiling(all.Count / 16.0));
        var kept = all.Where((_, i) => i % step == 0).ToList();
        if (all.Count > 0 && (all.Count - 1) % step != 0)
        {
            kept.Add(all[^1]);
        }
        return string.Join(" → ", kept.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));
    }
}
