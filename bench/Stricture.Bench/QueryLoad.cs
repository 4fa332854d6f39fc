using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Stricture.Storage.Keys;

namespace Stricture.Bench;

/// <summary>The requests the query scenario measures; /healthz is the HTTP round trip with no storage behind it.</summary>
internal enum QueryKind
{
    Healthz,
    Latest,
    Range,
    RunById,
}

/// <summary>One bounded loop of one kind of request: its latencies, its own elapsed time and where the CPU went.</summary>
internal sealed record QuerySample(int Count, TimeSpan Elapsed, CpuUsage Cpu, long[] Latencies);

/// <summary>
/// Closed-loop GETs against one server and its seeded store: a fixed number of clients, each sending
/// its next request as soon as the previous answer has been read in full, until a fixed count is done
/// or the phase timeout runs out (which fails the run). The warm-up checks what each kind answers
/// (the newest run, the seven days' runs in order, the run asked for); measured answers must then be
/// 200 with the same length, so a wrong answer can never pass for a fast one.
/// </summary>
internal sealed class QueryLoad(ServerProcess server, SeededStore store, BenchOptions options) : IDisposable
{
    /// <summary>Days in the range query: the newest seven of every store, so every store returns the same runs.</summary>
    public const int RangeDays = 7;

    private const string ServicePath = "v1/runs/acme/bench/api";

    private readonly HttpClient _client = IngestLoad.NewClient(server.BaseAddress, options.QueryConcurrency);
    private readonly Dictionary<QueryKind, long> _expectedLength = [];

    public ServerProcess Server => server;

    public SeededStore Store => store;

    /// <summary>Response body sizes seen in the warm-up, for the report.</summary>
    public IReadOnlyDictionary<QueryKind, long> ResponseBytes => _expectedLength;

    public static string RangePath(SeededStore store) =>
        $"{ServicePath}?from={RecordKeys.FormatDate(store.NewestDay.AddDays(1 - RangeDays))}&to={RecordKeys.FormatDate(store.NewestDay)}&limit=1000";

    /// <summary>Checks one answer of each kind, then sends unmeasured requests: JIT, connections, the page cache.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await CheckAnswersAsync(cancellationToken);
        foreach (var kind in Enum.GetValues<QueryKind>())
        {
            await RunAsync(kind, clients: 1, WarmUpCount(kind), cancellationToken);
        }
        foreach (var kind in Enum.GetValues<QueryKind>())
        {
            await RunAsync(kind, options.QueryConcurrency, WarmUpCount(kind), cancellationToken);
        }
    }

    public async Task<QuerySample> RunAsync(QueryKind kind, int clients, int count, CancellationToken cancellationToken)
    {
        var latencies = new long[count];
        var next = -1;
        var completed = 0;
        var timeout = options.PhaseTimeout;
        var meter = new CpuMeter(server);
        var clock = Stopwatch.StartNew();

        async Task ClientAsync()
        {
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < timeout && !cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }
                var path = PathOf(kind, index);
                var started = Stopwatch.GetTimestamp();
                using (var response = await _client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
                {
                    // The answer is part of the round trip: read all of it before stopping the clock.
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    long length = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        length += read;
                    }
                    latencies[index] = Stopwatch.GetTimestamp() - started;
                    var expected = _expectedLength.GetValueOrDefault(kind, length);
                    if (response.StatusCode != HttpStatusCode.OK || length != expected)
                    {
                        throw new InvalidOperationException(
                            $"GET {path} on {store.Runs:N0} runs answered {(int)response.StatusCode} with {length} bytes (expected 200 with {expected}).");
                    }
                }
                Interlocked.Increment(ref completed);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        clock.Stop();
        var cpu = meter.Stop();
        if (completed != count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{kind} on {store.Runs:N0} runs completed {completed} of {count} requests within {timeout.TotalSeconds:0} s.");
        }
        return new QuerySample(count, clock.Elapsed, cpu, latencies);
    }

    public void Dispose() => _client.Dispose();

    private int WarmUpCount(QueryKind kind) => Math.Max(1, kind switch
    {
        QueryKind.Range => options.WarmUp / 4,
        QueryKind.RunById => options.WarmUp / 2,
        _ => options.WarmUp,
    });

    /// <summary>
    /// Runs by id are spread over the whole history (a fixed pseudo-random sequence per store), so
    /// they show whether finding one run among many costs more than among few.
    /// </summary>
    private string PathOf(QueryKind kind, int index) => kind switch
    {
        QueryKind.Healthz => "healthz",
        QueryKind.Latest => $"{ServicePath}/latest",
        QueryKind.Range => RangePath(store),
        QueryKind.RunById => $"{ServicePath}/{SpreadRunId(index)}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private string SpreadRunId(int index)
    {
        // Multiplying by a large prime modulo the store's size visits runs all over the history.
        var run = (int)((long)index * 1_000_003 % store.Runs);
        var runsPerDay = store.Runs / store.Days;
        return RunSeeder.RunId(store.NewestDay.AddDays(1 - store.Days + run / runsPerDay), run % runsPerDay);
    }

    private async Task CheckAnswersAsync(CancellationToken cancellationToken)
    {
        using (var health = await _client.GetAsync("healthz", cancellationToken))
        {
            Expect(health.StatusCode == HttpStatusCode.OK, $"/healthz answered {(int)health.StatusCode}");
        }

        using (var latest = await _client.GetAsync(PathOf(QueryKind.Latest, 0), cancellationToken))
        {
            var body = await latest.Content.ReadAsByteArrayAsync(cancellationToken);
            var location = latest.Content.Headers.ContentLocation?.ToString();
            Expect(latest.StatusCode == HttpStatusCode.OK && location?.EndsWith("/" + store.NewestRunId, StringComparison.Ordinal) == true,
                $"latest answered {(int)latest.StatusCode} naming '{location}', not the newest run {store.NewestRunId}");
            _expectedLength[QueryKind.Latest] = body.Length;
        }

        using (var range = await _client.GetAsync(PathOf(QueryKind.Range, 0), cancellationToken))
        {
            var body = await range.Content.ReadAsByteArrayAsync(cancellationToken);
            Expect(range.StatusCode == HttpStatusCode.OK, $"the range query answered {(int)range.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
            using var json = JsonDocument.Parse(body);
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()).ToList();
            var expected = RangeDays * (store.Runs / store.Days);
            Expect(runs.Count == expected && runs[0] == store.NewestRunId && json.RootElement.GetProperty("next_cursor").ValueKind == JsonValueKind.Null &&
                   runs.Zip(runs.Skip(1)).All(pair => string.CompareOrdinal(pair.First, pair.Second) > 0),
                $"the range query returned {runs.Count} runs (expected {expected}, newest first, from {store.NewestRunId}, on one page)");
            _expectedLength[QueryKind.Range] = body.Length;
        }

        var runId = SpreadRunId(1);
        using (var run = await _client.GetAsync(PathOf(QueryKind.RunById, 1), cancellationToken))
        {
            var body = await run.Content.ReadAsByteArrayAsync(cancellationToken);
            Expect(run.StatusCode == HttpStatusCode.OK, $"run {runId} answered {(int)run.StatusCode}");
            using var json = JsonDocument.Parse(body);
            Expect(json.RootElement.GetProperty("run_id").GetString() == runId,
                $"run {runId} answered with another run");
            // Envelopes of the seeded runs all have the same length (fixed-width ids, commits and timestamps).
            _expectedLength[QueryKind.RunById] = body.Length;
        }
    }

    private void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Store of {store.Runs:N0} runs: {what}."));
        }
    }
}
