using System.Diagnostics;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Catalog;

/// <summary>
/// How long a background compaction waits after an append before it folds the segments in. A
/// compaction rewrites its whole compacted document, so what bounds its cost is how often it runs;
/// the pause is the longest of three:
/// - <see cref="MinimumPause"/>, so a burst of appends folds in at once;
/// - <see cref="DurationFactor"/> times the last compaction's duration, so compacting takes at most
///   a tenth of the time however large the document grows;
/// - the document's size at <see cref="BytesPerSecond"/>, so it is rewritten at most that fast on
///   average. A merge that copies the old lines without parsing them (<see cref="ManifestLines"/>)
///   is quick, so the duration alone would let a day of 100,000 runs rewrite, log and flush its
///   30 MB manifest every second or two, beside the posts it delays.
/// The price: a large day's compacted manifest lags its segments by up to its size at that rate
/// (30 s at 100,000 runs). Queries read the segments after the compaction mark, so they see every
/// run regardless.
/// </summary>
public static class CompactionPacing
{
    public static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(500);

    public const int DurationFactor = 9;

    public const long BytesPerSecond = 1L << 20;

    /// <summary>The pause before the next compaction of a document whose last one took <paramref name="lastDuration"/> and left it <paramref name="documentBytes"/> long (0 when unknown).</summary>
    public static TimeSpan PauseAfter(TimeSpan lastDuration, long documentBytes)
    {
        var byDuration = lastDuration * DurationFactor;
        var bySize = TimeSpan.FromSeconds((double)documentBytes / BytesPerSecond);
        return TimeSpan.FromTicks(Math.Max(MinimumPause.Ticks, Math.Max(byDuration.Ticks, bySize.Ticks)));
    }
}

/// <summary>
/// The background compactions of one kind of document (day manifests, organization shards): each
/// document's last one (how long it took, the document's size after it), kept in memory (bounded;
/// forgetting one only shortens one pause), and the <see cref="CompactionPacing"/> pause before its next.
/// </summary>
internal sealed class PacedCompactions
{
    private readonly ForgetfulMap<(TimeSpan Duration, long DocumentBytes)> _last = new();

    /// <summary>
    /// Waits the document's pause, then runs <paramref name="compact"/>, which reports the document's
    /// size once folded (a compaction with nothing to fold may not: the last size known is kept).
    /// </summary>
    public async Task RunAsync(string documentKey, Func<Action<int>, Task> compact)
    {
        _last.TryGet(documentKey, out var last);
        await Task.Delay(CompactionPacing.PauseAfter(last.Duration, last.DocumentBytes));
        var started = Stopwatch.GetTimestamp();
        var documentBytes = last.DocumentBytes;
        await compact(size => documentBytes = size);
        _last.Set(documentKey, (Stopwatch.GetElapsedTime(started), documentBytes));
    }
}
