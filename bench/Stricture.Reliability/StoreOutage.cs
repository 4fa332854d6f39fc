using System.Diagnostics;
using System.Globalization;
using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// The object store failing under load, on the s3 or mirror driver: the gateway paused (SIGSTOP)
/// for a while and resumed, then killed (SIGKILL) and restarted after a while. On s3, posts must get
/// 503 (with a problem body) while the store is away, and 202 again once it is back; on mirror,
/// ingest keeps accepting (the spool holds the backlog) and the replicator catches up. Either way
/// every acknowledged run must then be readable with its hash and listed, and on mirror the bucket
/// must hold everything the data directory does (verify).
/// </summary>
internal static class StoreOutage
{
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(5);

    public static async Task<ScenarioResult> RunAsync(Harness harness, string driver, CancellationToken cancellationToken)
    {
        var options = harness.Options;
        var gateway = Gateway.FromEnvironment(harness.Store.Endpoint);
        var ledger = new AckLedger("rel", "outage", driver);
        var data = Path.Combine(harness.RunDirectory, $"outage-{driver}");
        await using var bucket = await S3Bucket.CreateAsync(harness.Store, $"outage-{driver}", cancellationToken);
        var settings = driver == "mirror" ? bucket.MirrorSettings : bucket.ServerSettings;
        var rows = new List<(string, string)>();
        var failures = new List<string>();

        var server = await harness.StartServerAsync(data, settings);
        ServerProcess? replicator = driver == "mirror" ? await harness.StartReplicatorAsync(data, bucket) : null;
        try
        {
            var load = new PostLoad(server.BaseAddress, ledger, "o", options.Concurrency, seed: options.Seed);
            await using (load)
            {
                await load.WaitForAcknowledgedAsync(100, options.PhaseTimeout, cancellationToken);
                await Task.Delay(Steady, cancellationToken);

                // 1. Paused: connections open, nothing answers.
                await gateway.PauseAsync();
                var paused = PostLoad.Now;
                try
                {
                    await Task.Delay(options.OutageDuration, cancellationToken);
                }
                finally
                {
                    await gateway.ResumeAsync();
                }
                var resumed = PostLoad.Now;
                await WaitForAsync(load, resumed, options.PhaseTimeout, cancellationToken);
                await Task.Delay(Steady, cancellationToken);
                Report(rows, failures, driver, "paused (SIGSTOP)", load, paused, resumed);

                // 2. Killed: connections refused until it is restarted.
                await gateway.KillAsync();
                var killed = PostLoad.Now;
                TimeSpan restart;
                try
                {
                    await Task.Delay(options.OutageDuration, cancellationToken);
                }
                finally
                {
                    restart = await gateway.RestartAsync(options.PhaseTimeout, CancellationToken.None);
                }
                var restarted = PostLoad.Now;
                await WaitForAsync(load, restarted, options.PhaseTimeout, cancellationToken);
                await Task.Delay(Steady, cancellationToken);
                Report(rows, failures, driver, $"killed (SIGKILL), restarted after {options.OutageDuration.TotalSeconds:0} s (gateway up in {restart.TotalSeconds:0.0} s)", load, killed, restarted);
            }
            failures.AddRange(load.Findings.Take(10));
            rows.Add(("posts / acknowledged / 503 with a problem body / other answers", $"{load.Posted:N0} / {load.Acknowledged:N0} / {load.ProblemBodies:N0} / {load.BareErrors:N0}"));

            // 3. Nothing acknowledged is missing: read back by id and hashed, and listed.
            using var reader = Harness.ClientFor(server);
            var check = await ledger.CheckAsync(reader, ledger.All, checkListing: true, cancellationToken);
            rows.Add(("acknowledged runs: lost / torn / not listed", $"{check.Lost} / {check.Torn} / {check.NotListed} of {check.Checked:N0}"));
            if (!check.Clean)
            {
                failures.Add(check.ToString());
            }
            if (replicator is not null)
            {
                var (drained, left) = await harness.DrainAsync(data, cancellationToken);
                rows.Add(("replicator: backlog drained after the load stopped", $"{drained.TotalSeconds:0} s, {left} entries left"));
                var verify = await harness.VerifyUntilCleanAsync(data, bucket, cancellationToken);
                var (summary, failure) = MirrorDiagnosis.Judge(verify, data, ledger, replicator);
                rows.Add(("verify (bucket against data directory) after the outages", summary));
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        }
        finally
        {
            if (replicator is not null)
            {
                await replicator.DisposeAsync();
            }
            await server.DisposeAsync();
        }
        return new ScenarioResult($"Object store outages, {driver} driver", rows, failures);
    }

    private static void Report(List<(string, string)> rows, List<string> failures, string driver, string fault, PostLoad load, long from, long to)
    {
        var first503 = load.FirstAfter(from, 503);
        var recovered = load.FirstAfter(to, 202);
        var acknowledgedDuring = load.CountBetween(from, to, 202);
        var statuses = string.Join(", ", load.Answers.Where(a => a.At >= from && a.At < to).GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count():N0}"));
        rows.Add(($"{fault}: answers during the outage", statuses.Length == 0 ? "none" : statuses));
        rows.Add(($"{fault}: first 503", first503 is { } f ? $"{f.TotalSeconds:0.00} s after the fault" : "none"));
        rows.Add(($"{fault}: 202s during the outage", $"{acknowledgedDuring:N0}"));
        rows.Add(($"{fault}: first 202 after the store is back", recovered is { } r ? $"{r.TotalSeconds:0.00} s" : "never"));
        if (driver == "s3" && first503 is null)
        {
            failures.Add($"{fault}: no 503 while the store was away");
        }
        if (recovered is null)
        {
            failures.Add($"{fault}: no 202 after the store came back");
        }
    }

    private static async Task WaitForAsync(PostLoad load, long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (load.FirstAfter(since, 202) is null && clock.Elapsed < timeout)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
