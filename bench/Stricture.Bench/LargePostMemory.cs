using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Stricture.Bench;

internal sealed record LargePostRun(
    int Posts, int Accepted, long BodyBytes, int ArtifactNodes, long IdleRssKiB, long MaxSampledRssKiB, long PeakRssKiB,
    IReadOnlyList<(TimeSpan Time, long MaxRssKiB)> Rounds, IReadOnlyList<string> FailureSamples);

/// <summary>
/// The server's peak resident memory while many maximum-size posts arrive at once: each round sends
/// all posts concurrently, twice or more, so a second round shows whether memory from the first is
/// reused (steady state) or keeps growing. VmHWM is the kernel's own peak of the whole process life;
/// VmRSS is also sampled every 50 ms as a cross-check.
/// </summary>
internal static class LargePostMemory
{
    /// <summary>Just under the server's default 10485760-byte cap.</summary>
    public const int BodyBytes = 10 * 1024 * 1024 - 4096;

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<LargePostRun> RunAsync(ServerProcess server, BenchOptions options, CancellationToken cancellationToken)
    {
        var (artifact, nodes) = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(BodyBytes, ArtifactBodies.RunId("l00", 0)));
        using var client = IngestLoad.NewClient(server.BaseAddress, options.LargePosts);
        client.Timeout = options.PhaseTimeout;

        var idle = server.ReadMemory().RssKiB;
        long maxSampled = idle;
        var accepted = 0;
        var failures = new ConcurrentQueue<string>();
        var rounds = new List<(TimeSpan, long)>();

        for (var round = 0; round < options.LargeRounds; round++)
        {
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = Task.Run(async () =>
            {
                var max = 0L;
                using var timer = new PeriodicTimer(SampleInterval);
                try
                {
                    // Bounded: stops when the round ends, and the round is bounded by the client timeout.
                    while (await timer.WaitForNextTickAsync(stopSampling.Token) && !server.HasExited)
                    {
                        max = Math.Max(max, server.ReadMemory().RssKiB);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                return max;
            });

            var phase = $"l{round:D2}";
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, options.LargePosts).Select(i => Task.Run(async () =>
            {
                using var content = ArtifactBodies.Large(ArtifactBodies.RunId(phase, i), artifact);
                try
                {
                    using var response = await client.PostAsync("v1/artifacts", content, cancellationToken);
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    return response.StatusCode == HttpStatusCode.Accepted ? null : $"{(int)response.StatusCode}: {answer}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return $"{exception.GetType().Name}: {exception.Message}";
                }
            }, cancellationToken)));
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = clock.Elapsed;
            await stopSampling.CancelAsync();
            var roundMax = await sampler;
            rounds.Add((elapsed, roundMax));
            maxSampled = Math.Max(maxSampled, roundMax);

            accepted += results.Count(r => r is null);
            foreach (var failure in results.Where(r => r is not null).Take(5))
            {
                failures.Enqueue($"round {round + 1}: {failure}");
            }
            if (server.HasExited)
            {
                failures.Enqueue($"The server exited during round {round + 1}:\n{server.OutputTail()}");
                break;
            }
        }

        var peak = server.HasExited ? 0 : server.ReadMemory().PeakRssKiB;
        return new LargePostRun(options.LargePosts * options.LargeRounds, accepted, BodyBytes, nodes, idle, maxSampled, peak,
            rounds, [.. failures]);
    }
}
