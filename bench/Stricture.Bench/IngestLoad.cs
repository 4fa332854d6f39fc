using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Stricture.Bench;

internal sealed record IngestSlice(int Count, CpuUsage Cpu, long[] Latencies, int Failed, IReadOnlyList<string> FailureSamples)
{
    public double PerSecond => Count / Cpu.Elapsed.TotalSeconds;
}

/// <summary>
/// Closed-loop load on POST /v1/artifacts: a fixed number of concurrent clients, each sending its
/// next post as soon as the previous one is answered, until a fixed count is done. Every post has
/// its own run id, so every one is a new durable record (no idempotent short cut). All posts are
/// dated one day unless --ingest-runs-per-day spreads them, that many a day, forward from
/// <see cref="SpreadStart"/> (in the order they are sent, over all phases of the load).
/// <paramref name="bodies"/>, when given, makes each post's body instead (phase, index in the phase).
/// </summary>
internal sealed class IngestLoad(ServerProcess server, BenchOptions options, Func<string, int, HttpContent>? bodies = null) : IDisposable
{
    public const int BodyBytes = 4096;
    private const int FailureSamplesKept = 5;

    /// <summary>The first day when posts are spread over days; long enough ago that no spread reaches today.</summary>
    public static readonly DateOnly SpreadStart = new(2020, 1, 1);

    private readonly HttpClient _client = NewClient(server.BaseAddress, options.Concurrency);

    // Run ids RunId("x00", n) (and spread service names) all have the same length, so every body is exactly BodyBytes.
    private readonly (byte[] Json, int Nodes) _artifact = ArtifactBodies.Artifact(
        ArtifactBodies.ArtifactBytesFor(BodyBytes, ArtifactBodies.RunId("m00", 0), ServiceOf(options, 0)));

    // Posts sent so far by this load, for the day of the next one when posts are spread over days.
    private int _sent = -1;

    public int ArtifactNodes => _artifact.Nodes;

    public static HttpClient NewClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            // Loopback only: never route through an HTTP proxy from the environment.
            UseProxy = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Posts that are not measured: JIT, connection set-up and the first directories of the tree. Each round posts new run ids.</summary>
    public Task<IngestSlice> WarmUpAsync(int round, int count, CancellationToken cancellationToken) => PostManyAsync($"w{round:D2}", count, cancellationToken);

    public Task<IngestSlice> RunSliceAsync(int slice, int count, CancellationToken cancellationToken) =>
        PostManyAsync($"m{slice:D2}", count, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>The service of post <paramref name="index"/> of a phase: one service, or every one of --ingest-services in turn.</summary>
    private static string ServiceOf(BenchOptions options, int index) =>
        options.IngestServices > 1 ? ArtifactBodies.SpreadService(index % options.IngestServices) : ArtifactBodies.DefaultService;

    private async Task<IngestSlice> PostManyAsync(string phase, int count, CancellationToken cancellationToken)
    {
        var latencies = new long[count];
        var next = -1;
        var completed = 0;
        var failed = 0;
        var samples = new ConcurrentQueue<string>();
        var timeout = options.PhaseTimeout;
        var meter = new CpuMeter(server);

        async Task ClientAsync()
        {
            while (meter.Elapsed < timeout && !cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }
                DateOnly? day = options.IngestRunsPerDay > 0 ? SpreadStart.AddDays(Interlocked.Increment(ref _sent) / options.IngestRunsPerDay) : null;
                using var content = bodies?.Invoke(phase, index) ?? ArtifactBodies.Small(ArtifactBodies.RunId(phase, index), _artifact.Json, day, ServiceOf(options, index));
                var started = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    using var response = await _client.PostAsync("v1/artifacts", content, cancellationToken);
                    // The answer is part of the round trip: read it before stopping the clock.
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    failure = response.StatusCode == HttpStatusCode.Accepted ? null : $"{(int)response.StatusCode}: {answer}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    failure = $"{exception.GetType().Name}: {exception.Message}";
                }
                latencies[index] = Stopwatch.GetTimestamp() - started;
                Interlocked.Increment(ref completed);
                if (failure is not null)
                {
                    Interlocked.Increment(ref failed);
                    if (samples.Count < FailureSamplesKept)
                    {
                        samples.Enqueue(failure);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        var cpu = meter.Stop();
        if (completed != count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"Ingest ({phase}) completed {completed} of {count} posts within {timeout.TotalSeconds:0} s.");
        }
        return new IngestSlice(count, cpu, latencies, failed, [.. samples]);
    }
}
