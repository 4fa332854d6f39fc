using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;

namespace Stricture.Bench;

/// <summary>One slice of the mirror comparison: the same runs, PUT raw and replicated.</summary>
internal sealed record MirrorSlice(int Index, MirrorPhase Payload, MirrorPhase Replication)
{
    /// <summary>The reading: replication ÷ one raw PUT of each run's record.</summary>
    public double Ratio => Replication.PerSecond / Payload.PerSecond;
}

/// <summary>
/// Replication throughput against raw PutObject of the same records, in the same run and under the
/// same conditions. The replicator is started first, on an empty data directory (so its start-up
/// catch-up scan has nothing to list and is timed apart); then warm-up plus N runs are seeded
/// through the product's record store with its replication spool as the accepted-run log, the
/// spool kept in a held folder; then in each slice the same runs are PUT raw (each run's one object,
/// its record) into a bucket of their own and replicated into another, in the order P R, R P, ...
/// (each after a sync and a 1 s pause), so a drift in the machine's load falls on both sides alike.
/// <see cref="PayloadBytes"/> is the mean size of a measured run's record.
/// </summary>
internal sealed record MirrorThroughput(
    IReadOnlyList<MirrorSlice> Slices, SeededStore Seeded, int WarmUpRuns, int PayloadBytes, TimeSpan ReplicatorStartup,
    int Quarantined, BucketCensus Replica)
{
    public MirrorPhase Payload => MirrorPhase.Sum(Slices.Select(s => s.Payload));

    public MirrorPhase Replication => MirrorPhase.Sum(Slices.Select(s => s.Replication));

    /// <summary>Total replication rate over total raw payload PUT rate, over the same runs.</summary>
    public double Ratio => Replication.PerSecond / Payload.PerSecond;

    /// <summary>
    /// Runs seeded beyond the given warm-up, replicated and PUT raw in rounds of
    /// <see cref="WarmUpRound"/> while the replicator's tiered JIT compiler is still busy
    /// (<see cref="CpuUsage.QuietJitShare"/>); what is left of them is replicated after the
    /// slices, unmeasured, so the bucket still holds every seeded run.
    /// </summary>
    public const int ExtraWarmUpRuns = 6_000;

    public const int WarmUpRound = 1_000;

    public static async Task<MirrorThroughput> RunAsync(
        BenchOptions options, S3TestServer store, (S3Bucket Payload, S3Bucket Replica) buckets,
        string runDirectory, byte[] artifact, Action<string> progress, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(runDirectory, "data-mirror");
        var heldDirectory = Path.Combine(runDirectory, "held-spool");
        Directory.CreateDirectory(dataDirectory);

        var (replicator, startup) = await ReplicatorProcess.StartAsync(options, dataDirectory, buckets.Replica, store.Pids, cancellationToken);
        await using (replicator)
        {
            progress($"mirror: replicator pid {replicator.Pid} on {replicator.BaseAddress}, started in {startup.TotalSeconds:0.0} s (empty data directory)");

            Quiet.Settle();
            var runs = options.MirrorWarmUp + ExtraWarmUpRuns + options.MirrorRuns;
            progress($"mirror: seeding {runs:N0} runs ({options.MirrorWarmUp} for warm-up and {ExtraWarmUpRuns} more while the JIT is busy), {options.RunsPerDay} a day, spooled aside");
            var newestDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
            var seeded = await RunSeeder.SeedAsync(
                dataDirectory, runs, options.RunsPerDay, newestDay, artifact, new ReplicationSpool(heldDirectory, TimeProvider.System),
                progress, cancellationToken);
            progress($"mirror: seeded in {seeded.Elapsed.TotalSeconds:0.0} s ({seeded.RunsPerSecond:N0} runs/s)");
            var spooled = SpooledRuns.Load(heldDirectory, dataDirectory, new RecordKeys("stricture"));
            if (spooled.Runs.Count != runs)
            {
                throw new InvalidOperationException($"The held spool has {spooled.Runs.Count} entries for {runs} seeded runs.");
            }

            var spool = new SpoolFolder(dataDirectory);
            var payload = new RawRecordPuts(buckets.Payload, options.Concurrency, options.PhaseTimeout, replicator, store);
            var replication = new ReplicationDrain(spooled, spool, replicator, store, options.PhaseTimeout);

            // The same unmeasured runs on every side: JIT, connections, the first days' manifests.
            var warm = spooled.Runs.Take(options.MirrorWarmUp).ToList();
            progress($"mirror warm-up: {warm.Count} runs replicated and PUT raw");
            var last = await replication.RunAsync(warm, cancellationToken);
            await payload.RunAsync(warm, cancellationToken);
            var reserve = spooled.Runs.Skip(options.MirrorWarmUp).Take(ExtraWarmUpRuns).ToList();
            var used = 0;
            while (!last.Cpu.ServerJitQuiet && used + WarmUpRound <= reserve.Count)
            {
                progress($"mirror warm-up: the replicator's tiered compiler took {last.Cpu.ServerJit.TotalSeconds:0.00} s of the last {last.Cpu.Elapsed.TotalSeconds:0.0} s; {WarmUpRound} more runs");
                var round = reserve.GetRange(used, WarmUpRound);
                used += WarmUpRound;
                last = await replication.RunAsync(round, cancellationToken);
                await payload.RunAsync(round, cancellationToken);
            }

            var measured = spooled.Runs.Skip(options.MirrorWarmUp + ExtraWarmUpRuns).ToList();
            var slices = new List<MirrorSlice>();
            var offset = 0;
            for (var i = 0; i < options.Slices; i++)
            {
                var count = options.MirrorRuns / options.Slices + (i < options.MirrorRuns % options.Slices ? 1 : 0);
                var slice = measured.GetRange(offset, count);
                offset += count;
                async Task<MirrorPhase> Measure(Func<IReadOnlyList<SpooledRun>, CancellationToken, Task<MirrorPhase>> phase)
                {
                    Quiet.Settle();
                    return await phase(slice, cancellationToken);
                }

                MirrorPhase p, r;
                if (i % 2 == 0)
                {
                    p = await Measure(payload.RunAsync);
                    r = await Measure(replication.RunAsync);
                }
                else
                {
                    r = await Measure(replication.RunAsync);
                    p = await Measure(payload.RunAsync);
                }
                var result = new MirrorSlice(i + 1, p, r);
                slices.Add(result);
                progress($"mirror slice {i + 1}/{options.Slices}: record PUTs {p.PerSecond:N0} runs/s, " +
                         $"replication {r.PerSecond:N0} runs/s (ratio {result.Ratio:0.00})");
            }

            if (reserve.Count > used)
            {
                progress($"mirror: replicating the {reserve.Count - used:N0} warm-up runs not needed, unmeasured");
                await replication.RunAsync(reserve.GetRange(used, reserve.Count - used), cancellationToken);
            }
            var quarantined = spool.QuarantinedCount();
            var census = await BucketCensus.TakeAsync(buckets.Replica, cancellationToken);
            progress($"mirror: the replica bucket holds {census} for {runs:N0} runs; {quarantined} quarantined");
            return new MirrorThroughput(
                slices, seeded, options.MirrorWarmUp + used, (int)Math.Round(measured.Average(r => r.Record.Content.Length)), startup, quarantined, census);
        }
    }
}
