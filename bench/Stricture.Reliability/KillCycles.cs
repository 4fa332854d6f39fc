using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// SIGKILL of the ingest server under concurrent load, cycle after cycle, on one store (and in mirror
/// mode of the replicator as well, at another random point of each cycle). After each restart the
/// previous cycle's acknowledged runs are read back by id and hashed; after the last cycle: reconcile
/// (what it repairs is reported: a kill between a payload and its manifest line leaves work for it),
/// then every acknowledged run is read back, hashed and looked for in the listing, the records tree
/// is parsed file by file, a second reconcile must find nothing, and in mirror mode verify must find
/// the bucket holding everything.
/// </summary>
internal static class KillCycles
{
    /// <summary>Acknowledged runs a cycle waits for before its kill, so every kill lands under real load.</summary>
    private const int MinimumAcknowledgedPerCycle = 40;

    public static async Task<ScenarioResult> RunAsync(Harness harness, string driver, CancellationToken cancellationToken)
    {
        var options = harness.Options;
        var ledger = new AckLedger("rel", "kill", driver);
        var data = Path.Combine(harness.RunDirectory, $"kill-{driver}");
        await using var bucket = driver == "fs" ? null : await S3Bucket.CreateAsync(harness.Store, $"kill-{driver}", cancellationToken);
        var settings = driver switch { "s3" => bucket!.ServerSettings, "mirror" => bucket!.MirrorSettings, _ => null };
        var random = new Random(options.Seed);
        var failures = new List<string>();
        int lost = 0, torn = 0, replicatorKills = 0, answered = 0, noAnswer = 0;
        IReadOnlyCollection<Acknowledgement> previousCycle = [];
        ServerProcess? replicator = null;

        for (var cycle = 0; cycle < options.Cycles; cycle++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // 1. Start on the store the previous cycle's server died on; the runs it acknowledged must all be there.
            var server = await harness.StartServerAsync(data, settings);
            using (var reader = Harness.ClientFor(server))
            {
                var check = await ledger.CheckAsync(reader, previousCycle, checkListing: false, cancellationToken);
                lost += check.Lost;
                torn += check.Torn;
                if (!check.Clean)
                {
                    failures.Add($"after kill {cycle}: {check}");
                }
            }
            if (driver == "mirror" && replicator is null)
            {
                replicator = await harness.StartReplicatorAsync(data, bucket!);
            }

            // 2. Full load from many clients; once it is flowing, kill at a random point (the replicator too, in mirror mode).
            var before = ledger.All.Select(a => a.RunId).ToHashSet(StringComparer.Ordinal);
            var load = new PostLoad(server.BaseAddress, ledger, $"k{cycle}", options.Concurrency, seed: options.Seed + cycle);
            var flowing = await load.WaitForAcknowledgedAsync(MinimumAcknowledgedPerCycle, options.PhaseTimeout, cancellationToken);
            if (replicator is not null)
            {
                await Task.Delay(random.Next(0, 300), cancellationToken);
                await Harness.KillAsync(replicator);
                await replicator.DisposeAsync();
                replicator = null;
                replicatorKills++;
            }
            await Task.Delay(random.Next(0, 400), cancellationToken);
            await Harness.KillAsync(server);
            await load.DisposeAsync();
            await server.DisposeAsync();
            if (!flowing)
            {
                failures.Add($"cycle {cycle}: fewer than {MinimumAcknowledgedPerCycle} runs acknowledged within {options.PhaseTimeout.TotalSeconds:0} s");
            }
            failures.AddRange(load.Findings.Take(5).Select(f => $"cycle {cycle}: {f}"));
            answered += load.Answers.Count(a => a.Status != 0);
            noAnswer += load.Answers.Count(a => a.Status == 0);
            previousCycle = [.. ledger.All.Where(a => !before.Contains(a.RunId))];
            harness.Progress($"kill {driver}: cycle {cycle + 1}/{options.Cycles}, {ledger.Count:N0} acknowledged so far, {load.Posted:N0} posts this cycle");
        }

        // 3. Reconcile after the last kill, then the whole ledger against a fresh server: by id, by hash, in the listing.
        var (firstCode, firstReconcile) = await StoreCommand.RunAsync(options.ServerDll, data, settings, options.PhaseTimeout, cancellationToken, "reconcile");
        if (firstCode != 0)
        {
            failures.Add($"reconcile exited {firstCode}: {firstReconcile}");
        }
        LedgerCheck final;
        await using (var server = await harness.StartServerAsync(data, settings))
        {
            using var reader = Harness.ClientFor(server);
            final = await ledger.CheckAsync(reader, ledger.All, checkListing: true, cancellationToken);
        }
        lost += final.Lost;
        torn += final.Torn;
        if (!final.Clean)
        {
            failures.Add($"final check: {final}");
        }
        var (secondCode, secondReconcile) = await StoreCommand.RunAsync(options.ServerDll, data, settings, options.PhaseTimeout, cancellationToken, "reconcile");
        if (secondCode != 0 || !secondReconcile.Contains("added 0 manifest entries, moved 0 latest pointers, skipped 0 unreadable", StringComparison.Ordinal))
        {
            failures.Add($"a second reconcile found work: {secondReconcile}");
        }
        var tree = driver == "s3" ? (Files: 0, Unparseable: 0, Example: (string?)null) : Harness.ParseRecordsTree(data);
        if (tree.Unparseable > 0)
        {
            torn += tree.Unparseable;
            failures.Add($"{tree.Unparseable} files of the records tree do not parse, e.g. {tree.Example}");
        }
        string? verifySummary = null;
        string? drainSummary = null;
        if (driver == "mirror")
        {
            await using var drainer = await harness.StartReplicatorAsync(data, bucket!);
            var (drained, left) = await harness.DrainAsync(data, cancellationToken);
            drainSummary = $"{drained.TotalSeconds:0} s, {left} entries left";
            var verify = await harness.VerifyUntilCleanAsync(data, bucket!, cancellationToken);
            (verifySummary, var failure) = MirrorDiagnosis.Judge(verify, data, ledger, drainer);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        var rows = new List<(string, string)>
        {
            ("ingest server SIGKILLs", $"{options.Cycles} under {options.Concurrency} concurrent clients"),
            ("replicator SIGKILLs", driver == "mirror" ? replicatorKills.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n/a"),
            ("posts answered / cut off by a kill", $"{answered:N0} / {noAnswer:N0}"),
            ("runs acknowledged (202)", $"{ledger.Count:N0}"),
            ("lost", $"{lost}"),
            ("torn", $"{torn}"),
            ("acknowledged runs missing from the listing", $"{final.NotListed}"),
            ("reconcile after the last kill", firstReconcile),
            ("a second reconcile", secondReconcile),
        };
        if (driver != "s3")
        {
            rows.Add(("records tree files parsed", $"{tree.Files:N0}, {tree.Unparseable} unparseable"));
        }
        if (drainSummary is not null)
        {
            rows.Add(("replicator drain after the last kill", drainSummary));
        }
        if (verifySummary is not null)
        {
            rows.Add(("verify (bucket against data directory) after the drain", verifySummary));
        }
        return new ScenarioResult($"Kill cycles, {driver} driver", rows, failures);
    }
}
