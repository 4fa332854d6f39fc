using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Stricture.Bench;

internal sealed record SteadyLoadResult(int Sent, int Accepted, TimeSpan Elapsed, long[] Latencies, TimeSpan MaxLateness, IReadOnlyList<string> FailureSamples)
{
    public int Failed => Sent - Accepted;

    public double PerSecond => Sent / Elapsed.TotalSeconds;
}

/// <summary>
/// Open-loop load on POST /v1/artifacts at a fixed rate: post i is sent at i ÷ rate seconds after
/// the start, whether or not earlier posts have been answered (a closed loop would slow down with
/// the server and hide a backlog). A send that falls behind its time (a slow timer, or
/// <see cref="MaxInFlight"/> posts unanswered) goes out as soon as it can, and the worst lateness is
/// reported, so a run that could not hold its rate says so. Bodies are the ingest scenarios' 4 KiB
/// posts, each with its own run id, dated <c>runsPerDay</c> a day forward from
/// <see cref="IngestLoad.SpreadStart"/> in the order they are sent.
/// </summary>
internal sealed class SteadyLoad(ServerProcess server, int runsPerDay) : IDisposable
{
    /// <summary>A bound on unanswered posts, far above what a keeping-up server has open at these rates.</summary>
    private const int MaxInFlight = 256;

    private const int FailureSamplesKept = 5;

    private readonly HttpClient _client = IngestLoad.NewClient(server.BaseAddress, MaxInFlight);

    private readonly byte[] _artifact = ArtifactBodies.Artifact(
        ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0))).Json;

    private int _sent = -1;

    public void Dispose() => _client.Dispose();

    public async Task<SteadyLoadResult> RunAsync(string phase, double perSecond, int count, CancellationToken cancellationToken)
    {
        var latencies = new long[count];
        var accepted = 0;
        var samples = new ConcurrentQueue<string>();
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var posts = new List<Task>(count);
        var maxLateness = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();

        async Task PostAsync(int index, HttpContent content)
        {
            var started = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                using var response = await _client.PostAsync("v1/artifacts", content, cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                failure = response.StatusCode == HttpStatusCode.Accepted ? null : $"{(int)response.StatusCode}: {answer}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = $"{exception.GetType().Name}: {exception.Message}";
            }
            finally
            {
                content.Dispose();
                inFlight.Release();
            }
            latencies[index] = Stopwatch.GetTimestamp() - started;
            if (failure is null)
            {
                Interlocked.Increment(ref accepted);
            }
            else if (samples.Count < FailureSamplesKept)
            {
                samples.Enqueue(failure);
            }
        }

        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due - clock.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }
            await inFlight.WaitAsync(cancellationToken);
            if (clock.Elapsed - due is var late && late > maxLateness)
            {
                maxLateness = late;
            }
            var day = IngestLoad.SpreadStart.AddDays(Interlocked.Increment(ref _sent) / runsPerDay);
            posts.Add(PostAsync(i, ArtifactBodies.Small(ArtifactBodies.RunId(phase, i), _artifact, day)));
        }
        await Task.WhenAll(posts);
        return new SteadyLoadResult(count, accepted, clock.Elapsed, latencies, maxLateness, [.. samples]);
    }
}
