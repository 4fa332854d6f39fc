using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>Request latency percentiles in milliseconds (nearest-rank, over every measured request).</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double Max)
{
    public static LatencySummary FromTimestampDeltas(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }
        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double At(double p) => Ms(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)]);
        return new LatencySummary(At(0.50), At(0.90), At(0.99), Ms(sorted[^1]));
    }
}
