namespace Stricture.Bench;

/// <summary>One kind of request at one number of clients.</summary>
internal readonly record struct QueryMeasure(QueryKind Kind, int Clients);

/// <summary>Everything measured on one store, summed over the rounds.</summary>
internal sealed record StoreQueries(
    SeededStore Store, ReconcileRun Reconcile, IReadOnlyDictionary<QueryMeasure, QuerySample> Samples, IReadOnlyDictionary<QueryKind, long> ResponseBytes)
{
    public LatencySummary Latency(QueryKind kind, int clients) => LatencySummary.FromTimestampDeltas(Samples[new(kind, clients)].Latencies);

    public double PerSecond(QueryKind kind, int clients) => Samples[new(kind, clients)] is var s ? s.Count / s.Elapsed.TotalSeconds : 0;

    /// <summary>The machine's CPU over all of this store's measured loops: how busy it was, and how much went to other processes.</summary>
    public CpuUsage Cpu => CpuUsage.Sum(Samples.Values.Select(sample => sample.Cpu));

    /// <summary>The server's CPU per request (user + kernel), in ms.</summary>
    public double ServerCpuMs(QueryKind kind, int clients) =>
        Samples[new(kind, clients)] is var s ? s.Cpu.ServerCpu.TotalMilliseconds / s.Count : 0;
}

/// <summary>
/// Measures every store in rounds against servers that all run at once, the store order reversed
/// each round (1k 10k 100k, then 100k 10k 1k, ...): on a shared 2-core machine other work comes and
/// goes, and interleaving puts the baseline store and the large ones under the same conditions, so
/// their ratios mean something even when the absolute numbers drift. Each round, each store gets a
/// sync and a 1 s pause, then one client runs each kind of request, then several clients do.
/// </summary>
internal static class QueryComparison
{
    /// <summary>Reconcile is measured apart (<see cref="ReconcileRun"/>); at start-up it would list every key while requests are measured.</summary>
    private static readonly Dictionary<string, string> ServerSettings = new() { ["STRICTURE_SERVER_RECONCILE_ON_START"] = "false" };

    public static IEnumerable<QueryMeasure> Measures(BenchOptions options) =>
    [
        .. Enum.GetValues<QueryKind>().Select(kind => new QueryMeasure(kind, 1)),
        .. new[] { QueryKind.Healthz, QueryKind.Latest, QueryKind.Range }.Select(kind => new QueryMeasure(kind, options.QueryConcurrency)),
    ];

    /// <summary>Requests per store for one measure, over all rounds.</summary>
    public static int CountOf(QueryMeasure measure, BenchOptions options) => measure.Kind switch
    {
        QueryKind.Range => options.QueryCount / 4,
        QueryKind.RunById => options.QueryCount / 2,
        _ => options.QueryCount,
    };

    public static async Task<IReadOnlyList<StoreQueries>> RunAsync(
        IReadOnlyList<(SeededStore Store, ReconcileRun Reconcile)> stores, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var loads = new List<QueryLoad>();
        var servers = new List<ServerProcess>();
        try
        {
            foreach (var (store, _) in stores)
            {
                var server = await ServerProcess.StartAsync(
                    options.ServerDll, options.ServerWorkingDirectory, store.DataDirectory, TimeSpan.FromSeconds(30), ServerSettings);
                servers.Add(server);
                progress($"query {store.Runs:N0}: server pid {server.Pid} on {server.BaseAddress}");
                loads.Add(new QueryLoad(server, store, options));
            }
            foreach (var load in loads)
            {
                await load.WarmUpAsync(cancellationToken);
            }

            var samples = loads.ToDictionary(load => load, _ => new Dictionary<QueryMeasure, List<QuerySample>>());
            for (var round = 0; round < options.Slices; round++)
            {
                var order = round % 2 == 0 ? loads : Enumerable.Reverse(loads).ToList();
                foreach (var load in order)
                {
                    Quiet.Settle();
                    foreach (var measure in Measures(options))
                    {
                        var total = CountOf(measure, options);
                        // Spread the count evenly; the first rounds take the remainder.
                        var count = total / options.Slices + (round < total % options.Slices ? 1 : 0);
                        var sample = await load.RunAsync(measure.Kind, measure.Clients, count, cancellationToken);
                        samples[load].TryAdd(measure, []);
                        samples[load][measure].Add(sample);
                    }
                    var latest = LatencySummary.FromTimestampDeltas(samples[load][new(QueryKind.Latest, 1)][^1].Latencies);
                    var range = LatencySummary.FromTimestampDeltas(samples[load][new(QueryKind.Range, 1)][^1].Latencies);
                    progress($"round {round + 1}/{options.Slices}, {load.Store.Runs:N0} runs: latest p50 {latest.P50:0.00} ms, 7-day range p50 {range.P50:0.00} ms");
                }
            }

            return [.. loads.Select(load => new StoreQueries(
                load.Store,
                stores.Single(s => s.Store == load.Store).Reconcile,
                samples[load].ToDictionary(pair => pair.Key, pair => Sum(pair.Value)),
                load.ResponseBytes.ToDictionary()))];
        }
        finally
        {
            loads.ForEach(load => load.Dispose());
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static QuerySample Sum(IReadOnlyList<QuerySample> rounds) => new(
        rounds.Sum(r => r.Count),
        new TimeSpan(rounds.Sum(r => r.Elapsed.Ticks)),
        CpuUsage.Sum(rounds.Select(r => r.Cpu)),
        [.. rounds.SelectMany(r => r.Latencies)]);
}
