using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>What the query scenario measured, rendered as the markdown block docs/benchmarks.md quotes.</summary>
internal sealed record QueryResultsReport(
    MachineInfo Machine, string Command, string Code, DateTimeOffset Date, BenchOptions Options, int ArtifactNodes,
    IReadOnlyList<StoreQueries> Stores, LoadAverage LoadAtStart, LoadAverage LoadBeforeQueries, LoadAverage LoadAtEnd)
{
    /// <summary>Issue 4: latest on the filesystem driver, at the largest store.</summary>
    public const double LatestP50TargetMs = 5;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var o = Options;
        var baseline = Stores[0];
        var largest = Stores[^1];
        var many = o.QueryConcurrency;
        int Count(QueryKind kind) => QueryComparison.CountOf(new QueryMeasure(kind, 1), o);
        string Label(StoreQueries s) => Inv($"{s.Store.Runs:N0} runs ({s.Store.Days:N0} days)");
        string P50P99(StoreQueries s, QueryKind kind, int clients) => s.Latency(kind, clients) is var l ? Inv($"{l.P50:0.00} / {l.P99:0.00}") : "";

        md.AppendLine(Inv($"#### Run of {Date:yyyy-MM-dd HH:mm} UTC (queries)"));
        md.AppendLine();
        md.AppendLine(Inv($"- Command: `{Command}`; code: {Code}"));
        md.AppendLine(Inv($"- Machine: {Machine.Cpus} CPUs ({Machine.CpuModel}), {Machine.MemoryGiB:0.0} GiB RAM, Linux {Machine.Kernel}; load average (1 / 5 / 15 min) {LoadAtStart} at the start, {LoadBeforeQueries} after seeding (before the queries; the seeding's own writers blocked in fsync count in it), {LoadAtEnd} at the end"));
        md.AppendLine(Inv($"- Data directory filesystem: {Machine.Filesystem}"));
        md.AppendLine(Inv($"- Runtime: {Machine.Runtime}; server GC: {Machine.ServerGc}; filesystem driver, no auth, reconcile at start-up off (timed apart)"));
        md.AppendLine(Inv($"- Stores: one service, {o.RunsPerDay} runs a day (generated_at spread over the day) ending {baseline.Store.NewestDay:yyyy-MM-dd}; each run posted as a {IngestLoad.BodyBytes:N0} B body (artifact of {ArtifactNodes} node objects), stored as a {baseline.ResponseBytes.GetValueOrDefault(QueryKind.Latest):N0} B envelope; seeded in process through Stricture.Storage (record store, catalog, filesystem driver), 32 runs in flight"));
        md.AppendLine(Inv($"- Requests: latest; the newest {QueryLoad.RangeDays} days with limit=1000 ({QueryLoad.RangeDays * o.RunsPerDay:N0} runs, {baseline.ResponseBytes.GetValueOrDefault(QueryKind.Range):N0} B of JSON); a run by id spread over the whole history; /healthz as the HTTP round trip with no storage. Per store: {Count(QueryKind.Latest):N0} latest, {Count(QueryKind.Range):N0} range, {Count(QueryKind.RunById):N0} by id and {Count(QueryKind.Healthz):N0} /healthz with one client, then {Count(QueryKind.Latest):N0} latest, {Count(QueryKind.Range):N0} range and {Count(QueryKind.Healthz):N0} /healthz with {many} clients; after {o.WarmUp} unmeasured requests of each kind; in {o.Slices} rounds, the store order reversed each round, each after a sync and a 1 s pause; all servers running throughout"));
        md.AppendLine();

        var met = largest.Latency(QueryKind.Latest, 1).P50 <= LatestP50TargetMs;
        md.AppendLine("| Measure | Result | Target | Met |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Inv($"| **latest p50 at {largest.Store.Runs:N0} runs** (one client) | **{largest.Latency(QueryKind.Latest, 1).P50:0.00} ms** | ≤ {LatestP50TargetMs:0} ms | {(met ? "yes" : "**no**")} |"));
        foreach (var store in Stores.Skip(1))
        {
            md.AppendLine(Inv($"| latest p50, {store.Store.Runs:N0} ÷ {baseline.Store.Runs:N0} runs | {Ratio(store.Latency(QueryKind.Latest, 1).P50, baseline.Latency(QueryKind.Latest, 1).P50)} | flat (≈ 1) | |"));
            md.AppendLine(Inv($"| {QueryLoad.RangeDays}-day range p50, {store.Store.Runs:N0} ÷ {baseline.Store.Runs:N0} runs | {Ratio(store.Latency(QueryKind.Range, 1).P50, baseline.Latency(QueryKind.Range, 1).P50)} | flat (≈ 1) | |"));
        }
        md.AppendLine();

        md.AppendLine("One client, p50 / p99 ms (and the server's CPU per request, user + kernel):");
        md.AppendLine();
        md.AppendLine("| Store | /healthz | latest | 7-day range | run by id |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in Stores)
        {
            md.AppendLine(Inv($"| {Label(s)} | {P50P99(s, QueryKind.Healthz, 1)} | {P50P99(s, QueryKind.Latest, 1)} ({s.ServerCpuMs(QueryKind.Latest, 1):0.00} ms CPU) | {P50P99(s, QueryKind.Range, 1)} ({s.ServerCpuMs(QueryKind.Range, 1):0.00} ms CPU) | {P50P99(s, QueryKind.RunById, 1)} ({s.ServerCpuMs(QueryKind.RunById, 1):0.00} ms CPU) |"));
        }
        md.AppendLine();

        md.AppendLine(Inv($"{many} clients, requests/s and p50 / p99 ms:"));
        md.AppendLine();
        md.AppendLine("| Store | /healthz | latest | 7-day range | Machine busy / other processes' CPU (all this store's measured requests) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in Stores)
        {
            var cpu = s.Cpu;
            md.AppendLine(Inv($"| {Label(s)} | {s.PerSecond(QueryKind.Healthz, many):N0}/s, {P50P99(s, QueryKind.Healthz, many)} | {s.PerSecond(QueryKind.Latest, many):N0}/s, {P50P99(s, QueryKind.Latest, many)} | {s.PerSecond(QueryKind.Range, many):N0}/s, {P50P99(s, QueryKind.Range, many)} | {cpu.BusyPercent:0}% / {cpu.OtherProcesses.TotalSeconds:0.0} s of {cpu.Elapsed.TotalSeconds * Machine.Cpus:0.0} core-s |"));
        }
        md.AppendLine();

        md.AppendLine(Inv($"Ratios against the {baseline.Store.Runs:N0}-run store, measured in the same rounds (1.00 = no dependence on the history):"));
        md.AppendLine();
        md.AppendLine("| Measure | " + string.Join(" | ", Stores.Skip(1).Select(s => Inv($"{s.Store.Runs:N0} ÷ {baseline.Store.Runs:N0}"))) + " |");
        md.AppendLine("|---|" + string.Concat(Stores.Skip(1).Select(_ => "---|")));
        void RatioRow(string name, Func<StoreQueries, double> value) =>
            md.AppendLine($"| {name} | " + string.Join(" | ", Stores.Skip(1).Select(s => Ratio(value(s), value(baseline)))) + " |");
        RatioRow("/healthz p50, one client", s => s.Latency(QueryKind.Healthz, 1).P50);
        RatioRow("latest p50, one client", s => s.Latency(QueryKind.Latest, 1).P50);
        RatioRow("latest p99, one client", s => s.Latency(QueryKind.Latest, 1).P99);
        RatioRow("7-day range p50, one client", s => s.Latency(QueryKind.Range, 1).P50);
        RatioRow("7-day range p99, one client", s => s.Latency(QueryKind.Range, 1).P99);
        RatioRow("run by id p50, one client", s => s.Latency(QueryKind.RunById, 1).P50);
        RatioRow(Inv($"latest requests/s, {many} clients"), s => s.PerSecond(QueryKind.Latest, many));
        RatioRow(Inv($"7-day range requests/s, {many} clients"), s => s.PerSecond(QueryKind.Range, many));
        RatioRow("server CPU per latest", s => s.ServerCpuMs(QueryKind.Latest, 1));
        RatioRow("server CPU per 7-day range", s => s.ServerCpuMs(QueryKind.Range, 1));
        md.AppendLine();

        md.AppendLine("Building the stores (not part of the queries; seeding writes every run durably, as ingest does; reconcile is `Stricture.Ingest.dll reconcile` on the stopped store, with every run already in its manifest):");
        md.AppendLine();
        md.AppendLine("| Store | Seeding | Seeding rate | Reconcile command (wall, process start included) | Reconciler's own time |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in Stores)
        {
            md.AppendLine(Inv($"| {Label(s)} | {s.Store.Elapsed.TotalSeconds:0.0} s | {s.Store.RunsPerSecond:N0} runs/s | {s.Reconcile.Wall.TotalSeconds:0.00} s | {(s.Reconcile.Reconciler is { } r ? Inv($"{r.TotalSeconds:0.0} s") : "n/a")} |"));
        }
        md.AppendLine();
        md.AppendLine("Reconcile said: " + string.Join(" / ", Stores.Select(s => $"\"{s.Reconcile.Summary}\"")));
        md.AppendLine();
        md.AppendLine("Correctness: every request was answered 200; latest named the newest run, the range returned its runs newest first on one page, and measured answers had the checked length.");
        return md.ToString();
    }

    private static string Ratio(double value, double baseline) => baseline > 0 ? Inv($"{value / baseline:0.00}") : "n/a";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
