using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>What the s3 scenario measured, rendered as the markdown block docs/benchmarks.md quotes.</summary>
internal sealed record S3ResultsReport(
    MachineInfo Machine, S3TestServer Store, string Command, string Code, DateTimeOffset Date, BenchOptions Options,
    ThroughputComparison Throughput, LoadAverage LoadBefore, LoadAverage LoadAfter)
{
    /// <summary>Each post is two PUTs (run-index entry, then payload): when the S3 server is the bottleneck, 0.5 is the ceiling.</summary>
    public const double RatioTarget = 0.5;

    /// <summary>Correctness, not performance: a run with failed posts has no valid numbers.</summary>
    public IReadOnlyList<string> Errors => Throughput.Failed > 0
        ? [$"s3: {Throughput.Failed} ingest posts were not answered 202: {string.Join(" | ", Throughput.FailureSamples)}"]
        : [];

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var o = Options;
        var t = Throughput;
        var latency = t.Latency;
        var put = LatencySummary.FromTimestampDeltas([.. t.Slices.SelectMany(s => s.Baseline.Latencies ?? [])]);
        var sliceRatios = t.Slices.Select(s => s.Ratio.ToString("0.00", CultureInfo.InvariantCulture));
        var ingestCpu = t.IngestCpu;

        md.AppendLine(Inv($"#### Run of {Date:yyyy-MM-dd HH:mm} UTC (s3 driver)"));
        md.AppendLine();
        md.AppendLine(Inv($"- Command: `{Command}`; code: {Code}"));
        md.AppendLine(Inv($"- Machine: {Machine.Cpus} CPUs ({Machine.CpuModel}), {Machine.MemoryGiB:0.0} GiB RAM, Linux {Machine.Kernel}; load average (1 / 5 / 15 min) {LoadBefore} at the start, {LoadAfter} at the end"));
        md.AppendLine(Inv($"- S3 server: {Store.Endpoint.GetLeftPart(UriPartial.Authority)}, {Store.Version} (eng/s3-test-server.sh); its processes' CPU measured: {(Store.Pids.Count > 0 ? string.Join(", ", Store.Pids) : "no (pid files not found)")}"));
        md.AppendLine(Inv($"- Server staging directory filesystem: {Machine.Filesystem}"));
        md.AppendLine(Inv($"- Runtime: {Machine.Runtime}; server GC: {Machine.ServerGc}"));
        md.AppendLine(Inv($"- Load: {t.Count:N0} posts of {IngestLoad.BodyBytes:N0} B (artifact of {t.ArtifactNodes} node objects) by {o.Concurrency} concurrent clients; {t.Count:N0} conditional PUTs of {RawPutBaseline.BodyBytes:N0} B by {o.Concurrency} concurrent writers; {(o.IngestRunsPerDay > 0 ? Inv($"posts dated {o.IngestRunsPerDay} a day from {IngestLoad.SpreadStart:yyyy-MM-dd}") : Inv($"every post dated {ArtifactBodies.DefaultDay:yyyy-MM-dd}"))}{(o.IngestServices > 1 ? Inv($", spread over {o.IngestServices:N0} services in turn") : "")}; alternating in {o.Slices} slices, after {t.WarmUpPosts:N0} unmeasured posts ({o.IngestWarmUp:N0}, then rounds of {ThroughputComparison.WarmUpRound:N0} until one in which the server's tiered compiler took at most {CpuUsage.QuietJitShare * 100:0}% of the time; in the last: {t.WarmUpJit.TotalSeconds:0.00} s) and {o.IngestWarmUp:N0} unmeasured PUTs"));
        md.AppendLine();
        md.AppendLine("| Measure | Result | Target | Met |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Inv($"| **Ingest / raw PUT ratio** | **{t.Ratio:0.00}** (slices: {string.Join(", ", sliceRatios)}) | ≥ {RatioTarget:0.0} | {Met(t.Ratio >= RatioTarget)} |"));
        md.AppendLine(Inv($"| History growth: last slice's ratio ÷ first slice's (raw rate: {t.RawGrowth:0.00}) | {t.Growth:0.00} | ≥ {ResultsReport.GrowthTarget:0.0} | {Met(t.Growth >= ResultsReport.GrowthTarget)} |"));
        if (t.IngestRequests is { } requests)
        {
            md.AppendLine(Inv($"| S3 requests per accepted post (radosgw counters over the ingest slices: GET+HEAD / PUT / failed) | {(double)requests.Requests / t.Count:0.00} ({(double)requests.Gets / t.Count:0.00} / {(double)requests.Puts / t.Count:0.00} / {(double)requests.Failed / t.Count:0.00}) | ≤ 2.5 | {Met((double)requests.Requests / t.Count <= 2.5)} |"));
        }
        md.AppendLine(Inv($"| Ingest posts not answered 202 | {t.Failed} of {t.Count:N0} | 0 | {Met(t.Failed == 0)} |"));
        md.AppendLine(Inv($"| Ingest throughput | {t.IngestPerSecond:N0} posts/s | | |"));
        md.AppendLine(Inv($"| Raw PUTs | {t.BaselinePerSecond:N0} PUT/s | | |"));
        md.AppendLine(Inv($"| Ingest latency p50 / p90 / p99 / max | {latency.P50:0.0} / {latency.P90:0.0} / {latency.P99:0.0} / {latency.Max:0.0} ms | | |"));
        md.AppendLine(Inv($"| Raw PUT latency p50 / p90 / p99 / max | {put.P50:0.0} / {put.P90:0.0} / {put.P99:0.0} / {put.Max:0.0} ms | | |"));
        md.AppendLine(Inv($"| CPU per post: server / S3 server / load generator | {PerOp(ingestCpu.ServerCpu, t.Count)} / {PerOp(ingestCpu.StoreCpu, t.Count)} / {PerOp(ingestCpu.BenchCpu, t.Count)} ms | | |"));
        md.AppendLine(Inv($"| CPU per raw PUT: S3 server / load generator | {PerOp(t.BaselineCpu.StoreCpu, t.Count)} / {PerOp(t.BaselineCpu.BenchCpu, t.Count)} ms | | |"));
        // Two PUTs per post: about 2.0 says the server asks nothing more of the store, and that with
        // the store as the only bottleneck the ratio cannot pass 1 / this.
        md.AppendLine(Inv($"| S3 server CPU per post ÷ per raw PUT | {(t.BaselineCpu.StoreCpu > TimeSpan.Zero ? Inv($"{ingestCpu.StoreCpu / t.BaselineCpu.StoreCpu:0.00}") : "n/a")} | | |"));
        md.AppendLine();
        md.AppendLine("Slices (raw PUTs and ingest alternate, B I / I B, each after a sync and a 1 s pause):");
        md.AppendLine();
        md.AppendLine("| Slice | Raw PUT/s | Ingest posts/s | Ratio | Ingest p50 / p99 ms | Other processes' CPU during ingest |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var s in t.Slices)
        {
            var l = LatencySummary.FromTimestampDeltas(s.Ingest.Latencies);
            md.AppendLine(Inv($"| {s.Index} | {s.Baseline.PerSecond:N0} | {s.Ingest.PerSecond:N0} | {s.Ratio:0.00} | {l.P50:0.0} / {l.P99:0.0} | {s.Ingest.Cpu.OtherProcesses.TotalSeconds:0.0} s of {s.Ingest.Cpu.Elapsed.TotalSeconds * Machine.Cpus:0.0} core-s |"));
        }
        md.AppendLine();
        md.AppendLine("Where the CPU went (busy, iowait and steal are shares of all cores; the load generator, the Stricture server and the S3 server " +
                      "(Ceph radosgw, OSD and monitor, all its threads) share the cores; during raw PUTs the load generator is also the S3 client; " +
                      "interrupts include loopback TCP; \"other processes\" is the rest of the busy time, e.g. other work on a shared machine):");
        md.AppendLine();
        md.AppendLine("| Phase | Elapsed | Busy | iowait | steal | Server user + sys | S3 server | Load generator | Kernel threads | Interrupts | Other processes |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        md.AppendLine(CpuRow("Raw PUTs (all slices)", t.BaselineCpu, t.Count, "PUT"));
        md.AppendLine(CpuRow("Ingest (all slices)", ingestCpu, t.Count, "post"));
        md.AppendLine();
        var errors = Errors;
        md.AppendLine(errors.Count == 0 ? "Correctness: every post was answered 202." : "**RUN FAILED**: " + string.Join(" ", errors));
        return md.ToString();
    }

    private static string CpuRow(string phase, CpuUsage cpu, int operations, string unit)
    {
        string Cell(TimeSpan time) => Inv($"{time.TotalSeconds:0.0} s ({PerOp(time, operations)} ms/{unit})");
        return Inv($"| {phase} | {cpu.Elapsed.TotalSeconds:0.0} s | {cpu.BusyPercent:0}% | {cpu.IoWaitPercent:0}% | {cpu.StealPercent:0}% | ") +
               Inv($"{cpu.ServerUser.TotalSeconds:0.0} + {cpu.ServerSystem.TotalSeconds:0.0} s ({PerOp(cpu.ServerCpu, operations)} ms/{unit}; tiered JIT {cpu.ServerJit.TotalSeconds:0.00} s) | ") +
               string.Join(" | ", new[] { cpu.StoreCpu, cpu.BenchCpu, cpu.KernelThreads, cpu.Interrupts, cpu.OtherProcesses }.Select(Cell)) + " |";
    }

    private static string PerOp(TimeSpan time, int operations) => Inv($"{time.TotalMilliseconds / Math.Max(1, operations):0.00}");

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
