namespace Stricture.Bench;

/// <summary>
/// Replication lag at a steady load: a real ingest server in mirror mode and the real replicator
/// on one data directory, a fresh bucket, posts at a fixed rate (half the replication rate just
/// measured) for a bounded time, and the spool sampled every 250 ms. Afterwards, once the spool has
/// drained: no entry quarantined, the verify command clean, and the bucket holding a payload and a
/// run index entry per acknowledged post.
/// </summary>
internal sealed record MirrorLag(
    double TargetPerSecond, SteadyLoadResult Load, int WarmUpPosts, LagSummary Lag, TimeSpan? DrainedAfterLoad, int BacklogAtLoadEnd,
    CpuUsage IngestCpu, CpuUsage ReplicatorCpu, RgwCounters? Requests, TimeSpan ReplicatorStartup, int Quarantined, VerifyRun Verify,
    BucketCensus Bucket)
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Every post answered 202 and every acknowledged run in the bucket, as verify and the count say.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            var errors = new List<string>();
            if (Load.Failed > 0)
            {
                errors.Add($"mirror lag: {Load.Failed} posts were not answered 202: {string.Join(" | ", Load.FailureSamples)}");
            }
            if (DrainedAfterLoad is null)
            {
                errors.Add("mirror lag: the spool did not drain after the load");
            }
            if (Quarantined > 0)
            {
                errors.Add($"mirror lag: {Quarantined} spool entries quarantined");
            }
            if (!Verify.Clean)
            {
                errors.Add($"mirror lag: verify exited {Verify.ExitCode}: {Verify.Summary} {string.Join(" | ", Verify.Differences)}");
            }
            if (!Bucket.Holds(Load.Accepted + WarmUpPosts))
            {
                errors.Add($"mirror lag: the bucket holds {Bucket} for {Load.Accepted + WarmUpPosts} acknowledged posts");
            }
            return errors;
        }
    }

    public static async Task<MirrorLag> RunAsync(
        BenchOptions options, S3TestServer store, S3Bucket bucket, double perSecond, string runDirectory,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(runDirectory, "data-mirror-lag");
        Directory.CreateDirectory(dataDirectory);
        var spool = new SpoolFolder(dataDirectory);
        var count = Math.Max(1, (int)Math.Round(perSecond * options.MirrorLagDuration.TotalSeconds));

        await using var server = await ServerProcess.StartAsync(
            options.ServerDll, options.ServerWorkingDirectory, dataDirectory, TimeSpan.FromSeconds(30), bucket.MirrorSettings, store.Pids);
        var (replicator, startup) = await ReplicatorProcess.StartAsync(options, dataDirectory, bucket, store.Pids, cancellationToken);
        await using (replicator)
        {
            progress($"mirror lag: server pid {server.Pid} (mirror mode), replicator pid {replicator.Pid} (started in {startup.TotalSeconds:0.0} s)");
            using var load = new SteadyLoad(server, options.RunsPerDay);

            progress($"mirror lag warm-up: {options.WarmUp} posts at {perSecond:0.0}/s, then until the spool is empty");
            var warm = await load.RunAsync("w00", perSecond, options.WarmUp, cancellationToken);
            var warmUpPosts = options.WarmUp;
            // Then rounds of 5 s at the same rate while either fresh process's tiered compiler is busy (at most 60 s more).
            var round = Math.Max(1, (int)Math.Round(perSecond * 5));
            for (var i = 1; ; i++)
            {
                if (warm.Failed > 0)
                {
                    throw new InvalidOperationException($"{warm.Failed} warm-up posts were not answered 202: {string.Join(" | ", warm.FailureSamples)}");
                }
                if (await WaitDrainedAsync(spool, replicator, options.PhaseTimeout, cancellationToken) is null)
                {
                    throw new TimeoutException($"The spool did not drain after the warm-up within {options.PhaseTimeout.TotalSeconds:0} s.");
                }
                if (i > 12)
                {
                    break;
                }
                var serverJit = new CpuMeter(server);
                var replicatorJit = new CpuMeter(replicator);
                warm = await load.RunAsync($"w{i:D2}", perSecond, round, cancellationToken);
                var (serverRound, replicatorRound) = (serverJit.Stop(), replicatorJit.Stop());
                warmUpPosts += round;
                if (serverRound.ServerJitQuiet && replicatorRound.ServerJitQuiet)
                {
                    break;
                }
                progress($"mirror lag warm-up: tiered compilers took {serverRound.ServerJit.TotalSeconds:0.00} s (server) and {replicatorRound.ServerJit.TotalSeconds:0.00} s (replicator) of the last {serverRound.Elapsed.TotalSeconds:0.0} s; {round} more posts");
            }
            Quiet.Settle();

            progress($"mirror lag: {count:N0} posts at {perSecond:0.0}/s ({options.MirrorLagDuration.TotalSeconds:0} s), spool sampled every {SampleInterval.TotalMilliseconds:0} ms");
            var before = RgwCounters.Read(store.AdminSocket);
            var ingestMeter = new CpuMeter(server);
            var replicatorMeter = new CpuMeter(replicator);
            await using var sampler = new LagSampler(spool, SampleInterval);
            var measured = await load.RunAsync("l00", perSecond, count, cancellationToken);
            var loadEnd = sampler.Elapsed;
            var backlogAtEnd = spool.Sample(loadEnd).Backlog;
            var drained = await WaitDrainedAsync(spool, replicator, options.PhaseTimeout, cancellationToken);
            var ingestCpu = ingestMeter.Stop();
            var replicatorCpu = replicatorMeter.Stop();
            var after = RgwCounters.Read(store.AdminSocket);
            var lag = LagSummary.Of(sampler.Between(TimeSpan.Zero, loadEnd));
            progress($"mirror lag: sent {measured.Sent:N0} at {measured.PerSecond:0.0}/s ({measured.Failed} failed); lag p50 {lag.P50.TotalMilliseconds:N0} ms, " +
                     $"p99 {lag.P99.TotalMilliseconds:N0} ms, max {lag.Max.TotalMilliseconds:N0} ms; backlog max {lag.MaxBacklog}; " +
                     $"drained {(drained is { } d ? $"{d.TotalSeconds:0.0} s" : "never")} after the last post");

            var quarantined = spool.QuarantinedCount();
            progress("mirror lag: verify (data directory against the bucket)");
            var verify = await VerifyRun.RunAsync(options, dataDirectory, bucket, cancellationToken);
            progress($"mirror lag: verify exit {verify.ExitCode} in {verify.Wall.TotalSeconds:0.0} s: {verify.Summary}");
            var census = await BucketCensus.TakeAsync(bucket, cancellationToken);
            return new MirrorLag(perSecond, measured, warmUpPosts, lag, drained, backlogAtEnd, ingestCpu, replicatorCpu,
                before is not null && after is not null ? after - before : null, startup, quarantined, verify, census);
        }
    }

    /// <summary>How long until the pending folder is empty, or null if it is not within the timeout.</summary>
    private static async Task<TimeSpan?> WaitDrainedAsync(SpoolFolder spool, ServerProcess replicator, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!spool.IsEmpty)
        {
            if (clock.Elapsed > timeout || replicator.HasExited)
            {
                return null;
            }
            await Task.Delay(10, cancellationToken);
        }
        return clock.Elapsed;
    }
}
