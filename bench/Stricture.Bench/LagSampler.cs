using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>Replication lag over a window of samples: nearest-rank percentiles, and the largest backlog seen.</summary>
internal sealed record LagSummary(int Samples, TimeSpan P50, TimeSpan P99, TimeSpan Max, int MaxBacklog, double MeanBacklog)
{
    public static LagSummary Of(IReadOnlyList<SpoolSample> samples)
    {
        if (samples.Count == 0)
        {
            return new LagSummary(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, 0);
        }
        var lags = samples.Select(s => s.Lag).Order().ToList();
        TimeSpan At(double p) => lags[Math.Max(0, (int)Math.Ceiling(p * lags.Count) - 1)];
        return new LagSummary(samples.Count, At(0.50), At(0.99), lags[^1], samples.Max(s => s.Backlog), samples.Average(s => s.Backlog));
    }
}

/// <summary>
/// Looks at the spool every <c>interval</c> (250 ms) on its own task until stopped: the backlog and
/// the age of the oldest pending entry, from outside both processes. Sampling at a fixed period
/// (not after each post) weighs every moment alike, which is what a lag percentile means.
/// </summary>
internal sealed class LagSampler : IAsyncDisposable
{
    private readonly List<SpoolSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _sampling;

    public LagSampler(SpoolFolder spool, TimeSpan interval)
    {
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                var sample = spool.Sample(_clock.Elapsed);
                lock (_samples)
                {
                    _samples.Add(sample);
                }
            }
            while (await WaitQuietlyAsync(timer));
        });
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The samples taken within [from, to] of this sampler's clock.</summary>
    public List<SpoolSample> Between(TimeSpan from, TimeSpan to)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.At >= from && s.At <= to).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task<bool> WaitQuietlyAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
