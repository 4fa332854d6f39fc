using System.Diagnostics;
using Stricture.Storage.Catalog;

namespace Stricture.Tests.Catalog;

/// <summary>
/// Group commit of one key's updates: what is submitted while a batch applies goes into the next
/// batch; a paced key (appends to an object store) waits half as long as its last batch took before
/// the next, so that batch carries what arrived meanwhile too. Only lower bounds on time are
/// asserted: a slow machine makes pauses longer, never shorter.
/// </summary>
public sealed class KeyedBatcherTests
{
    [Fact]
    public async Task What_arrives_while_a_batch_applies_goes_into_the_next_one()
    {
        var (batcher, batches, release, _, firstStarted) = HeldFirstBatch(paced: false);
        var first = batcher.SubmitAsync("k", 1);
        await firstStarted;
        var second = batcher.SubmitAsync("k", 2);
        var third = batcher.SubmitAsync("k", 3);
        release.SetResult();
        await Task.WhenAll(first, second, third);

        Assert.Equal([[1], [2, 3]], batches);
    }

    [Fact]
    public async Task A_paced_key_waits_half_its_last_batch_before_the_next_and_an_idle_key_starts_at_once()
    {
        var (batcher, batches, release, starts, firstStarted) = HeldFirstBatch(paced: true);
        var first = batcher.SubmitAsync("k", 1);
        await firstStarted;
        var second = batcher.SubmitAsync("k", 2);
        await Task.Delay(100);
        var released = Stopwatch.GetTimestamp();
        release.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal([[1], [2]], batches);
        // The first batch took at least 100 ms, so the next waited at least 50 ms (MaxPace) after it.
        Assert.True(Stopwatch.GetElapsedTime(released, starts[1]) >= TimeSpan.FromMilliseconds(45),
            $"the second batch started {Stopwatch.GetElapsedTime(released, starts[1]).TotalMilliseconds:0} ms after the first ended");

        await batcher.SubmitAsync("k", 3); // nothing queued behind it: applied without a pause (not timed here)
        Assert.Equal([3], batches[^1]);
    }

    /// <summary>A batcher whose first batch holds until released; <c>FirstStarted</c> completes when that batch has begun.</summary>
    private static (KeyedBatcher<int> Batcher, List<int[]> Batches, TaskCompletionSource Release, List<long> Starts, Task FirstStarted) HeldFirstBatch(bool paced)
    {
        var batches = new List<int[]>();
        var starts = new List<long>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new KeyedBatcher<int>(async (_, items) =>
        {
            lock (batches)
            {
                starts.Add(Stopwatch.GetTimestamp());
                batches.Add([.. items]);
            }
            if (batches.Count == 1)
            {
                firstStarted.SetResult();
                await release.Task;
            }
            return false;
        }, paced);
        return (batcher, batches, release, starts, firstStarted.Task);
    }
}
