namespace Stricture.Bench;

internal sealed record ComparisonSlice(int Index, BaselineSlice Baseline, IngestSlice Ingest)
{
    public double Ratio => Ingest.PerSecond / Baseline.PerSecond;
}

internal sealed record ThroughputComparison(
    IReadOnlyList<ComparisonSlice> Slices, int ArtifactNodes, int WarmUpPosts, TimeSpan WarmUpJit, RgwCounters? IngestRequests = null)
{
    /// <summary>Posts of each warm-up round after the first, while the server's tiered compiler is still busy.</summary>
    public const int WarmUpRound = 1_000;

    /// <summary>Bound on the rounds added to the warm-up, whatever the compiler does.</summary>
    public static readonly TimeSpan MaxExtraWarmUp = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether history slows a post: the last slice's ingest/baseline ratio over the first's. Every
    /// post adds to the same history (one service-day unless spread), so with Count/Slices posts a
    /// slice this compares the first and last Count/Slices of it; taken against the baseline of the
    /// same slice, it is not moved by load that comes and goes on the machine.
    /// </summary>
    public double Growth => Slices[^1].Ratio / Slices[0].Ratio;

    /// <summary>The last slice's ingest rate over the first's, unadjusted.</summary>
    public double RawGrowth => Slices[^1].Ingest.PerSecond / Slices[0].Ingest.PerSecond;

    public int Count => Slices.Sum(s => s.Ingest.Count);

    public CpuUsage IngestCpu => CpuUsage.Sum(Slices.Select(s => s.Ingest.Cpu));

    public CpuUsage BaselineCpu => CpuUsage.Sum(Slices.Select(s => s.Baseline.Cpu));

    public double IngestPerSecond => Count / IngestCpu.Elapsed.TotalSeconds;

    public double BaselinePerSecond => Slices.Sum(s => s.Baseline.Count) / BaselineCpu.Elapsed.TotalSeconds;

    /// <summary>Total ingest rate over total baseline rate; both over the same number of operations.</summary>
    public double Ratio => IngestPerSecond / BaselinePerSecond;

    public LatencySummary Latency => LatencySummary.FromTimestampDeltas([.. Slices.SelectMany(s => s.Ingest.Latencies)]);

    public int Failed => Slices.Sum(s => s.Ingest.Failed);

    public IEnumerable<string> FailureSamples => Slices.SelectMany(s => s.Ingest.FailureSamples).Take(5);

    /// <summary>
    /// Runs baseline and ingest in alternating slices against one warmed-up server, in ABBA order
    /// (B I, I B, B I, ...). On a shared 2-core machine other work comes and goes; slicing puts both
    /// sides of the ratio under the same conditions, and ABBA cancels a steady drift (a filling disk,
    /// a growing journal) instead of charging it to whichever side runs last.
    /// </summary>
    public static async Task<ThroughputComparison> RunAsync(
        ServerProcess server, BenchOptions options, IBaseline baseline, Action<string> progress, CancellationToken cancellationToken,
        string? rgwAdminSocket = null)
    {
        // The S3 server's own request counters around the ingest slices only (null without them).
        RgwCounters? ingestRequests = rgwAdminSocket is null ? null : RgwCounters.Zero;
        using var load = new IngestLoad(server, options);
        progress($"warm-up: {options.IngestWarmUp} posts and {options.IngestWarmUp} {baseline.Operations}");
        var (warmUpPosts, warmUpJit) = await WarmUpAsync(load, options, progress, cancellationToken);

        // The baseline gets the same warm-up as the server: its first writes (into a fresh directory,
        // over new connections) are not measured either.
        await baseline.WarmUpAsync(options.IngestWarmUp, cancellationToken);

        var slices = new List<ComparisonSlice>();
        for (var i = 0; i < options.Slices; i++)
        {
            // Spread the count evenly; the first slices take the remainder.
            var count = options.Count / options.Slices + (i < options.Count % options.Slices ? 1 : 0);
            async Task<BaselineSlice> BaselineAsync()
            {
                Quiet.Settle();
                return await baseline.RunSliceAsync(i, count, cancellationToken);
            }
            async Task<IngestSlice> IngestAsync()
            {
                Quiet.Settle();
                var before = RgwCounters.Read(rgwAdminSocket);
                var slice = await load.RunSliceAsync(i, count, cancellationToken);
                ingestRequests = before is not null && RgwCounters.Read(rgwAdminSocket) is { } after ? ingestRequests! + (after - before) : null;
                return slice;
            }

            BaselineSlice direct;
            IngestSlice ingest;
            if (i % 2 == 0)
            {
                direct = await BaselineAsync();
                ingest = await IngestAsync();
            }
            else
            {
                ingest = await IngestAsync();
                direct = await BaselineAsync();
            }
            var slice = new ComparisonSlice(i + 1, direct, ingest);
            slices.Add(slice);
            progress($"slice {i + 1}/{options.Slices}: baseline {direct.PerSecond:N0} {baseline.Operations}/s, ingest {ingest.PerSecond:N0} posts/s " +
                     $"(ratio {slice.Ratio:0.00}, p99 {LatencySummary.FromTimestampDeltas(ingest.Latencies).P99:0.0} ms, {ingest.Failed} failed)");
        }
        return new ThroughputComparison(slices, load.ArtifactNodes, warmUpPosts, warmUpJit, ingestRequests);
    }

    /// <summary>
    /// The given warm-up, then rounds of <see cref="WarmUpRound"/> posts until one in which the
    /// server's tiered compiler was quiet (<see cref="CpuUsage.QuietJitShare"/>), or <see cref="MaxExtraWarmUp"/>
    /// has passed: the slices then measure the server as it runs once warm, not its JIT recompiling
    /// hot paths. Returns the posts made and the compiler's CPU in the last round.
    /// </summary>
    private static async Task<(int Posts, TimeSpan LastRoundJit)> WarmUpAsync(
        IngestLoad load, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var round = await load.WarmUpAsync(0, options.IngestWarmUp, cancellationToken);
        var posts = options.IngestWarmUp;
        var extra = TimeSpan.Zero;
        for (var i = 1; !ThrowIfFailed(round).Cpu.ServerJitQuiet && extra < MaxExtraWarmUp; i++)
        {
            progress($"warm-up: the server's tiered compiler took {round.Cpu.ServerJit.TotalSeconds:0.00} s of the last {round.Cpu.Elapsed.TotalSeconds:0.0} s; {WarmUpRound} more posts");
            round = await load.WarmUpAsync(i, WarmUpRound, cancellationToken);
            posts += WarmUpRound;
            extra += round.Cpu.Elapsed;
        }
        return (posts, round.Cpu.ServerJit);
    }

    private static IngestSlice ThrowIfFailed(IngestSlice warmUp) => warmUp.Failed == 0
        ? warmUp
        : throw new InvalidOperationException($"{warmUp.Failed} warm-up posts were not answered 202: {string.Join(" | ", warmUp.FailureSamples)}");
}
