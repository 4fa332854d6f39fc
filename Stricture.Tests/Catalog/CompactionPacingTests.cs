using Stricture.Storage.Catalog;

namespace Stricture.Tests.Catalog;

/// <summary>The pause before a background compaction: the longest of the minimum, the duration bound and the size bound.</summary>
public sealed class CompactionPacingTests
{
    [Fact]
    public void A_small_quick_compaction_waits_the_minimum_so_a_burst_folds_in_at_once()
    {
        Assert.Equal(CompactionPacing.MinimumPause, CompactionPacing.PauseAfter(TimeSpan.FromMilliseconds(5), documentBytes: 40_000));
    }

    [Fact]
    public void A_slow_compaction_waits_nine_times_as_long_so_compacting_takes_at_most_a_tenth_of_the_time()
    {
        Assert.Equal(TimeSpan.FromSeconds(18), CompactionPacing.PauseAfter(TimeSpan.FromSeconds(2), documentBytes: 1_000_000));
    }

    [Fact]
    public void A_large_document_compacted_quickly_is_still_rewritten_at_most_a_mebibyte_a_second()
    {
        // A day of 100,000 runs: a 30 MiB manifest, spliced in 60 ms.
        Assert.Equal(TimeSpan.FromSeconds(30), CompactionPacing.PauseAfter(TimeSpan.FromMilliseconds(60), documentBytes: 30L << 20));
    }

    [Fact]
    public void A_document_of_unknown_size_is_paced_by_duration_alone()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.9), CompactionPacing.PauseAfter(TimeSpan.FromMilliseconds(100), documentBytes: 0));
    }
}
