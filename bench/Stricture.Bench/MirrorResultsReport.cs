using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>What the mirror scenario measured, rendered as the markdown block docs/benchmarks.md quotes.</summary>
internal sealed record MirrorResultsReport(
    MachineInfo Machine, string ReplicatorGc, S3TestServer Store, string Command, string Code, DateTimeOffset Date, BenchOptions Options,
    int ArtifactNodes, MirrorThroughput Throughput, MirrorLag Lag, LoadAverage LoadBefore, LoadAverage LoadAfter)
{
    /// <summary>Issue 5: replication throughput at least 0.8 of raw PutObject of the same records.</summary>
    public const double RatioTarget = 0.8;

    /// <summary>Correctness, not performance: a run with any of these has no valid numbers.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            var errors = new List<string>(Lag.Errors);
            if (Throughput.Quarantined > 0)
            {
                errors.Add($"mirror throughput: {Throughput.Quarantined} spool entries quarantined");
            }
            if (!Throughput.Replica.Holds(Throughput.Seeded.Runs))
            {
                errors.Add($"mirror throughput: the replica bucket holds {Throughput.Replica} for {Throughput.Seeded.Runs} runs");
            }
            return errors;
        }
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var o = Options;
        var t = Throughput;
        var l = Lag;
        var (payload, replication) = (t.Payload, t.Replication);
        var run = t.Seeded;
        var sample = t.Slices[0];
        string Ratios(Func<MirrorSlice, double> ratio) => string.Join(", ", t.Slices.Select(s => Inv($"{ratio(s):0.00}")));
        var posts = LatencySummary.FromTimestampDeltas(l.Load.Latencies);

        md.AppendLine(Inv($"#### Run of {Date:yyyy-MM-dd HH:mm} UTC (mirror mode)"));
        md.AppendLine();
        md.AppendLine(Inv($"- Command: `{Command}`; code: {Code}"));
        md.AppendLine(Inv($"- Machine: {Machine.Cpus} CPUs ({Machine.CpuModel}), {Machine.MemoryGiB:0.0} GiB RAM, Linux {Machine.Kernel}; load average (1 / 5 / 15 min) {LoadBefore} at the start, {LoadAfter} at the end"));
        md.AppendLine(Inv($"- S3 server: {Store.Endpoint.GetLeftPart(UriPartial.Authority)}, {Store.Version} (eng/s3-test-server.sh); its processes' CPU measured: {(Store.Pids.Count > 0 ? string.Join(", ", Store.Pids) : "no (pid files not found)")}; request counters: {(Store.AdminSocket is null ? "no (admin socket not found)" : "radosgw perf dump (all clients of the server)")}"));
        md.AppendLine(Inv($"- Data directory filesystem: {Machine.Filesystem}"));
        md.AppendLine(Inv($"- Runtime: {Machine.Runtime}; ingest server GC: {Machine.ServerGc}; replicator GC: {ReplicatorGc}"));
        md.AppendLine(Inv($"- Records: {t.Replication.Records:N0} runs measured after {t.WarmUpRuns:N0} for warm-up ({Options.MirrorWarmUp:N0}, then rounds of {MirrorThroughput.WarmUpRound:N0} until one in which the replicator's tiered compiler took at most {CpuUsage.QuietJitShare * 100:0}% of the time; {run.Runs:N0} seeded), one service, {o.RunsPerDay} a day over {run.Days} days; each a {IngestLoad.BodyBytes:N0} B post (artifact of {ArtifactNodes} node objects) stored as one {t.PayloadBytes:N0} B record; seeded in process through Stricture.Storage (record store, catalog, filesystem driver) with the replication spool as its accepted-run log in {run.Elapsed.TotalSeconds:0.0} s, the entries held aside and moved into `.spool/pending/` a slice at a time"));
        md.AppendLine(Inv($"- Throughput: in {o.Slices} slices of {sample.Replication.Records:N0} runs, each run (a) PUT raw (its record) by {o.Concurrency} writers into a bucket of its own, and (b) replicated by the real Stricture.Replicator process ({ReplicatorNote()}) into another; order P R / R P, each after a sync and a 1 s pause; replication timed from moving the slice's entries into the pending folder to that folder being empty"));
        md.AppendLine(Inv($"- Lag: a real Stricture.Ingest in mirror mode and the replicator on one data directory and a fresh bucket; {l.Load.Sent:N0} posts at a fixed {l.TargetPerSecond:0.0}/s (half the replication rate above) for {o.MirrorLagDuration.TotalSeconds:0} s after {l.WarmUpPosts:N0} unmeasured ones ({o.WarmUp}, then 5 s rounds until both processes' tiered compilers were quiet); lag = age of the oldest file in `.spool/pending/` (0 when empty), sampled every {MirrorLag.SampleInterval.TotalMilliseconds:0} ms"));
        md.AppendLine();
        md.AppendLine("| Measure | Result | Target | Met |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Inv($"| **Replication / raw record PUT** (one PUT per run) | **{t.Ratio:0.00}** (slices: {Ratios(s => s.Ratio)}) | ≥ {RatioTarget:0.0} | {Met(t.Ratio >= RatioTarget)} |"));
        md.AppendLine(Inv($"| Replication throughput | {replication.PerSecond:N0} runs/s | | |"));
        md.AppendLine(Inv($"| Raw record PUTs | {payload.PerSecond:N0} runs/s ({payload.PerSecond:N0} PUT/s) | | |"));
        md.AppendLine(Inv($"| **Lag at {l.TargetPerSecond:0.0} posts/s**, p50 / p99 / max | **{Ms(l.Lag.P50)} / {Ms(l.Lag.P99)} / {Ms(l.Lag.Max)} ms** ({l.Lag.Samples} samples) | | |"));
        md.AppendLine(Inv($"| Backlog at that load, max / mean | {l.Lag.MaxBacklog} / {l.Lag.MeanBacklog:0.0} runs | | |"));
        md.AppendLine(Inv($"| Posts not answered 202 | {l.Load.Failed} of {l.Load.Sent:N0} | 0 | {Met(l.Load.Failed == 0)} |"));
        md.AppendLine(Inv($"| Lag phase: acknowledged runs in the bucket afterwards | {l.Load.Accepted + l.WarmUpPosts:N0} acknowledged; bucket: {l.Bucket}; verify exit {l.Verify.ExitCode} ({l.Verify.Short}, {l.Verify.Wall.TotalSeconds:0} s); {l.Quarantined} quarantined | all, exit 0 | {Met(l.Errors.Count == 0)} |"));
        md.AppendLine(Inv($"| Throughput phase: replica bucket afterwards | {t.Seeded.Runs:N0} runs seeded; bucket: {t.Replica}; {t.Quarantined} quarantined | all | {Met(t.Replica.Holds(t.Seeded.Runs) && t.Quarantined == 0)} |"));
        md.AppendLine(Inv($"| Replicator start-up to its first catch-up scan done (empty data directory and bucket) | {t.ReplicatorStartup.TotalSeconds:0.0} s (lag phase: {l.ReplicatorStartup.TotalSeconds:0.0} s) | | |"));
        md.AppendLine();
        md.AppendLine("Slices:");
        md.AppendLine();
        md.AppendLine("| Slice | Record PUTs, runs/s | Replication, runs/s | Ratio | Other processes' CPU during replication |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in t.Slices)
        {
            md.AppendLine(Inv($"| {s.Index} | {s.Payload.PerSecond:N0} | {s.Replication.PerSecond:N0} | {s.Ratio:0.00} | {s.Replication.Cpu.OtherProcesses.TotalSeconds:0.0} s of {s.Replication.Cpu.Elapsed.TotalSeconds * Machine.Cpus:0.0} core-s |"));
        }
        md.AppendLine();
        md.AppendLine("S3 requests per run, from the gateway's own counters (GETs include HEADs; \"failed\" are error answers: 412 to a conditional create of an existing key, 404 to the GET of a day's manifest not yet created; the counters count every client of the server, so another session's requests would show up here too, which the raw phases, whose own count is known, would reveal):");
        md.AppendLine();
        md.AppendLine("| Phase | Runs | Requests | per run | GET / HEAD per run | PUT per run | Failed per run |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        md.AppendLine(RequestRow("Raw record PUTs (all slices)", payload));
        md.AppendLine(RequestRow("Replication (all slices)", replication));
        md.AppendLine(RequestRow(Inv($"Replication at {l.TargetPerSecond:0.0} posts/s (lag phase, drain included)"), new MirrorPhase(l.Load.Accepted, l.ReplicatorCpu, l.Requests)));
        md.AppendLine();
        md.AppendLine("Where the CPU went (busy, iowait and steal are shares of all cores; the replicator, the S3 server (Ceph radosgw, OSD and monitor) and the load generator share them; during raw PUTs the load generator is the S3 client and the replicator is idle; interrupts include loopback TCP; \"other processes\" is the rest of the busy time):");
        md.AppendLine();
        md.AppendLine("| Phase | Elapsed | Busy | iowait | steal | Replicator user + sys | S3 server | Load generator | Kernel threads | Interrupts | Other processes |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        md.AppendLine(CpuRow("Raw record PUTs", payload.Cpu, payload.Records));
        md.AppendLine(CpuRow("Replication", replication.Cpu, replication.Records));
        md.AppendLine();
        md.AppendLine(Inv($"Steady load at {l.TargetPerSecond:0.0} posts/s:"));
        md.AppendLine();
        md.AppendLine("| Measure | Result |");
        md.AppendLine("|---|---|");
        md.AppendLine(Inv($"| Posts sent / rate held | {l.Load.Sent:N0} in {l.Load.Elapsed.TotalSeconds:0.0} s ({l.Load.PerSecond:0.0}/s); latest send {Ms(l.Load.MaxLateness)} ms behind its time |"));
        md.AppendLine(Inv($"| Post latency p50 / p90 / p99 / max | {posts.P50:0.0} / {posts.P90:0.0} / {posts.P99:0.0} / {posts.Max:0.0} ms |"));
        md.AppendLine(Inv($"| Lag p50 / p99 / max | {Ms(l.Lag.P50)} / {Ms(l.Lag.P99)} / {Ms(l.Lag.Max)} ms |"));
        md.AppendLine(Inv($"| Backlog max / mean / at the last post | {l.Lag.MaxBacklog} / {l.Lag.MeanBacklog:0.0} / {l.BacklogAtLoadEnd} |"));
        md.AppendLine(Inv($"| Spool empty after the last post | {(l.DrainedAfterLoad is { } d ? Inv($"{d.TotalSeconds:0.00} s") : "**not within the phase timeout**")} |"));
        md.AppendLine(Inv($"| CPU per post (load and drain): ingest server user + sys / replicator user + sys / S3 server / load generator | {PerOp(l.IngestCpu.ServerUser, l.Load.Sent)} + {PerOp(l.IngestCpu.ServerSystem, l.Load.Sent)} / {PerOp(l.ReplicatorCpu.ServerUser, l.Load.Sent)} + {PerOp(l.ReplicatorCpu.ServerSystem, l.Load.Sent)} / {PerOp(l.ReplicatorCpu.StoreCpu, l.Load.Sent)} / {PerOp(l.IngestCpu.BenchCpu, l.Load.Sent)} ms |"));
        // Each meter subtracts only its own process; the two ran over the same window, so the other's CPU comes off here.
        var other = l.IngestCpu.OtherProcesses - l.ReplicatorCpu.ServerCpu is { Ticks: > 0 } rest ? rest : TimeSpan.Zero;
        md.AppendLine(Inv($"| Machine busy / iowait / other processes' CPU | {l.IngestCpu.BusyPercent:0}% / {l.IngestCpu.IoWaitPercent:0}% / {other.TotalSeconds:0.0} s of {l.IngestCpu.Elapsed.TotalSeconds * Machine.Cpus:0.0} core-s |"));
        md.AppendLine();
        var errors = Errors;
        md.AppendLine(errors.Count == 0
            ? "Correctness: every post was answered 202, nothing was quarantined, both replica buckets hold every run, and verify found no difference in the lag phase's."
            : "**RUN FAILED**: " + string.Join(" ", errors));
        return md.ToString();
    }

    private string ReplicatorNote() =>
        Inv($"{Path.GetFileName(Options.ReplicatorDll)}, 16 copies in flight, batches of 256, started before seeding so its catch-up scan had nothing to list");

    private static string RequestRow(string phase, MirrorPhase p)
    {
        if (p.Requests is not { } r)
        {
            return $"| {phase} | {p.Records:N0} | n/a | | | | |";
        }
        double Per(long n) => (double)n / Math.Max(1, p.Records);
        return Inv($"| {phase} | {p.Records:N0} | {r.Requests:N0} | {Per(r.Requests):0.00} | {Per(r.Gets):0.00} | {Per(r.Puts):0.00} | {Per(r.Failed):0.00} |");
    }

    private static string CpuRow(string phase, CpuUsage cpu, int runs)
    {
        string Cell(TimeSpan time) => Inv($"{time.TotalSeconds:0.0} s ({PerOp(time, runs)} ms/run)");
        return Inv($"| {phase} | {cpu.Elapsed.TotalSeconds:0.0} s | {cpu.BusyPercent:0}% | {cpu.IoWaitPercent:0}% | {cpu.StealPercent:0}% | ") +
               Inv($"{cpu.ServerUser.TotalSeconds:0.0} + {cpu.ServerSystem.TotalSeconds:0.0} s ({PerOp(cpu.ServerCpu, runs)} ms/run; tiered JIT {cpu.ServerJit.TotalSeconds:0.00} s) | ") +
               string.Join(" | ", new[] { cpu.StoreCpu, cpu.BenchCpu, cpu.KernelThreads, cpu.Interrupts, cpu.OtherProcesses }.Select(Cell)) + " |";
    }

    private static string Ms(TimeSpan time) => Inv($"{time.TotalMilliseconds:N0}");

    private static string PerOp(TimeSpan time, int operations) => Inv($"{time.TotalMilliseconds / Math.Max(1, operations):0.00}");

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
