using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>Everything one run measured, rendered as the markdown block docs/benchmarks.md quotes.</summary>
internal sealed record ResultsReport(
    MachineInfo Machine, string Command, DateTimeOffset Date, BenchOptions Options, ThroughputComparison Throughput, LargePostRun Large)
{
    public const double RatioTarget = 0.7;
    public const double RatioAim = 1.0;
    public const double P99TargetMs = 20;
    public const double GrowthTarget = 0.9;
    public const double RssTargetMiB = 512;

    public double PeakRssMiB => Large.PeakRssKiB / 1024.0;

    /// <summary>Correctness, not performance: a run with failed posts has no valid numbers.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            var errors = new List<string>();
            if (Throughput.Failed > 0)
            {
                errors.Add($"{Throughput.Failed} ingest posts were not answered 202: {string.Join(" | ", Throughput.FailureSamples)}");
            }
            if (Large.Accepted != Large.Posts)
            {
                errors.Add($"{Large.Posts - Large.Accepted} of {Large.Posts} large posts were not answered 202: {string.Join(" | ", Large.FailureSamples)}");
            }
            return errors;
        }
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var o = Options;
        var t = Throughput;
        var latency = t.Latency;
        var write = LatencySummary.FromTimestampDeltas([.. t.Slices.SelectMany(s => s.Baseline.Latencies ?? [])]);
        var sliceRatios = t.Slices.Select(s => s.Ratio).ToList();

        md.AppendLine(Inv($"#### Run of {Date:yyyy-MM-dd HH:mm} UTC"));
        md.AppendLine();
        md.AppendLine(Inv($"- Command: `{Command}`"));
        md.AppendLine(Inv($"- Machine: {Machine.Cpus} CPUs ({Machine.CpuModel}), {Machine.MemoryGiB:0.0} GiB RAM, Linux {Machine.Kernel}"));
        md.AppendLine(Inv($"- Data directory filesystem: {Machine.Filesystem}"));
        md.AppendLine(Inv($"- Runtime: {Machine.Runtime}; server GC: {Machine.ServerGc}; server working directory (content root): {o.ServerWorkingDirectory ?? "the server's bin directory"}"));
        md.AppendLine(Inv($"- Load: {t.Count:N0} posts of {IngestLoad.BodyBytes:N0} B (artifact of {t.ArtifactNodes} node objects) by {o.Concurrency} concurrent clients; {t.Count:N0} durable {DurableWriteBaseline.FileBytes / 1024} KiB writes by {o.Concurrency} threads; {(o.IngestRunsPerDay > 0 ? Inv($"posts dated {o.IngestRunsPerDay} a day from {IngestLoad.SpreadStart:yyyy-MM-dd}") : Inv($"every post dated {ArtifactBodies.DefaultDay:yyyy-MM-dd}"))}{(o.IngestServices > 1 ? Inv($", spread over {o.IngestServices:N0} services in turn") : "")}; alternating in {o.Slices} slices, after {t.WarmUpPosts:N0} unmeasured posts ({o.IngestWarmUp:N0}, then rounds of {ThroughputComparison.WarmUpRound:N0} until one in which the server's tiered compiler took at most {CpuUsage.QuietJitShare * 100:0}% of the time; in the last: {t.WarmUpJit.TotalSeconds:0.00} s) and {o.IngestWarmUp:N0} unmeasured writes"));
        md.AppendLine();
        md.AppendLine("| Measure | Result | Target | Met |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Inv($"| **Ingest / baseline ratio** | **{t.Ratio:0.00}** (slices: {string.Join(", ", sliceRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}) | ≥ {RatioTarget:0.0} (aim ≥ {RatioAim:0.0}) | {Met(t.Ratio >= RatioTarget)}{(t.Ratio >= RatioAim ? ", aim met" : "")} |"));
        md.AppendLine(Inv($"| History growth: last slice's ratio ÷ first slice's (raw rate: {t.RawGrowth:0.00}) | {t.Growth:0.00} | ≥ {GrowthTarget:0.0} | {Met(t.Growth >= GrowthTarget)} |"));
        md.AppendLine(Inv($"| Ingest latency p99 | {latency.P99:0.0} ms | ≤ {P99TargetMs:0} ms | {Met(latency.P99 <= P99TargetMs)} |"));
        md.AppendLine(Inv($"| Peak server RSS (VmHWM), {o.LargePosts} concurrent ~10 MB posts × {o.LargeRounds} rounds | {PeakRssMiB:0} MiB | ≤ {RssTargetMiB:0} MiB | {Met(PeakRssMiB <= RssTargetMiB && Large.PeakRssKiB > 0)} |"));
        md.AppendLine(Inv($"| Ingest posts not answered 202 | {t.Failed} of {t.Count:N0} | 0 | {Met(t.Failed == 0)} |"));
        md.AppendLine(Inv($"| Large posts answered 202 | {Large.Accepted} of {Large.Posts} | all | {Met(Large.Accepted == Large.Posts)} |"));
        md.AppendLine(Inv($"| Ingest throughput | {t.IngestPerSecond:N0} posts/s | | |"));
        md.AppendLine(Inv($"| Baseline durable writes | {t.BaselinePerSecond:N0} writes/s | | |"));
        md.AppendLine(Inv($"| Ingest latency p50 / p90 / p99 / max | {latency.P50:0.0} / {latency.P90:0.0} / {latency.P99:0.0} / {latency.Max:0.0} ms | | |"));
        md.AppendLine(Inv($"| Baseline durable write latency p50 / p90 / p99 / max | {write.P50:0.0} / {write.P90:0.0} / {write.P99:0.0} / {write.Max:0.0} ms | | |"));
        md.AppendLine(Inv($"| Server RSS idle / max sampled VmRSS / VmHWM | {Large.IdleRssKiB / 1024.0:0} / {Large.MaxSampledRssKiB / 1024.0:0} / {PeakRssMiB:0} MiB | | |"));
        md.AppendLine(Inv($"| Large posts: body; per round time and max sampled RSS | {Large.BodyBytes:N0} B (artifact of {Large.ArtifactNodes:N0} node objects); {string.Join("; ", Large.Rounds.Select(r => Inv($"{r.Time.TotalSeconds:0.0} s, {r.MaxRssKiB / 1024.0:0} MiB")))} | | |"));
        md.AppendLine();
        md.AppendLine("Slices (baseline and ingest alternate, B I / I B, each after a sync and a 1 s pause):");
        md.AppendLine();
        md.AppendLine("| Slice | Baseline writes/s | Ingest posts/s | Ratio | Ingest p50 / p99 ms | Server's tiered JIT CPU | Other processes' CPU during ingest |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var s in t.Slices)
        {
            var l = LatencySummary.FromTimestampDeltas(s.Ingest.Latencies);
            md.AppendLine(Inv($"| {s.Index} | {s.Baseline.PerSecond:N0} | {s.Ingest.PerSecond:N0} | {s.Ratio:0.00} | {l.P50:0.0} / {l.P99:0.0} | {s.Ingest.Cpu.ServerJit.TotalSeconds:0.00} s | {s.Ingest.Cpu.OtherProcesses.TotalSeconds:0.0} s of {s.Ingest.Cpu.Elapsed.TotalSeconds * Machine.Cpus:0.0} core-s |"));
        }
        md.AppendLine();
        md.AppendLine("Where the CPU went (busy, iowait and steal are shares of all cores; the load generator shares the cores with the server; " +
                      "kernel threads are block-layer and filesystem workers (and the ext4 journal, when there is one); interrupts include loopback TCP; \"other processes\" is the rest of the busy time, e.g. other work on a shared machine):");
        md.AppendLine();
        md.AppendLine("| Phase | Elapsed | Busy | iowait | steal | Server user + sys | Load generator | Kernel threads | Interrupts | Other processes |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        md.AppendLine(CpuRow("Baseline (all slices)", t.BaselineCpu, t.Count, "write"));
        md.AppendLine(CpuRow("Ingest (all slices)", t.IngestCpu, t.Count, "post"));
        md.AppendLine();
        var errors = Errors;
        md.AppendLine(errors.Count == 0 ? "Correctness: every post was answered 202." : "**RUN FAILED**: " + string.Join(" ", errors));
        return md.ToString();
    }

    private static string CpuRow(string phase, CpuUsage cpu, int operations, string unit)
    {
        string PerOp(TimeSpan time) => Inv($"{time.TotalSeconds:0.0} s ({time.TotalMilliseconds / Math.Max(1, operations):0.00} ms/{unit})");
        return Inv($"| {phase} | {cpu.Elapsed.TotalSeconds:0.0} s | {cpu.BusyPercent:0}% | {cpu.IoWaitPercent:0}% | {cpu.StealPercent:0}% | ") +
               Inv($"{cpu.ServerUser.TotalSeconds:0.0} + {cpu.ServerSystem.TotalSeconds:0.0} s ({cpu.ServerCpu.TotalMilliseconds / Math.Max(1, operations):0.00} ms/{unit}; tiered JIT {cpu.ServerJit.TotalSeconds:0.00} s) | ") +
               PerOp(cpu.BenchCpu) + " | " + PerOp(cpu.KernelThreads) + " | " + PerOp(cpu.Interrupts) + " | " + PerOp(cpu.OtherProcesses) + " |";
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
