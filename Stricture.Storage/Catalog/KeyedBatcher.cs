using System.Diagnostics;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Coalesces concurrent updates of one key (group commit). The first submitter for a key starts a
/// drain loop; whatever is submitted while a batch is being applied waits and goes into the next
/// batch, applied as one. Thirty-two posts to one service then cost a few read-modify-writes of its
/// manifest instead of thirty-two racing ones. Each submitter's task completes when the batch that
/// holds its item is applied, or fails with that batch's exception.
///
/// When applying a batch lost a race with another writer (another process sharing the store moved
/// the same object), the next batch of that key first waits about as long as that batch took
/// (jittered between half and one and a half times, within bounds): it then carries more items, so
/// replicas contending for one object make fewer, larger updates of it and lose fewer races,
/// instead of retrying in lockstep. The pause follows the store's own speed, so it means the same
/// on a fast local gateway and on a distant bucket.
///
/// With <c>paced</c> (appends to an object store, where every batch is a request), the next batch of
/// a busy key also waits half as long as the last one took: a key then applies at most one batch per
/// one and a half of its store's round trips, so each batch carries about half as many items again
/// and a post costs fewer requests, for a few milliseconds more latency. A key that goes idle starts
/// its next batch at once.
/// </summary>
internal sealed class KeyedBatcher<T>(Func<string, IReadOnlyList<T>, Task<bool>> apply, bool paced = false)
{
    /// <summary>How long, as a share of the last batch, a paced key waits before its next batch.</summary>
    public const double PaceFactor = 0.5;

    /// <summary>Bound on the pause of a paced key, whatever its store's speed.</summary>
    public static readonly TimeSpan MaxPace = TimeSpan.FromMilliseconds(50);

    /// <summary>Bounds of the pause before the next batch of a key whose last batch lost a race.</summary>
    public static readonly TimeSpan MinContentionPause = TimeSpan.FromMilliseconds(5);

    public static readonly TimeSpan MaxContentionPause = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Pending>> _queues = new(StringComparer.Ordinal);

    public Task SubmitAsync(string key, T item)
    {
        var pending = new Pending(item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool startDrain;
        lock (_gate)
        {
            startDrain = !_queues.TryGetValue(key, out var queue);
            if (startDrain)
            {
                queue = [];
                _queues.Add(key, queue);
            }
            queue!.Add(pending);
        }
        if (startDrain)
        {
            _ = Task.Run(() => DrainAsync(key));
        }
        return pending.Completion.Task;
    }

    private async Task DrainAsync(string key)
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                batch = _queues[key];
                if (batch.Count == 0)
                {
                    // Removed under the lock, so a later submitter starts a new drain loop.
                    _queues.Remove(key);
                    return;
                }
                _queues[key] = [];
            }
            var contended = false;
            var started = Stopwatch.GetTimestamp();
            try
            {
                contended = await apply(key, batch.ConvertAll(pending => pending.Item));
                batch.ForEach(pending => pending.Completion.SetResult());
            }
            catch (Exception exception)
            {
                batch.ForEach(pending => pending.Completion.SetException(exception));
            }
            var took = Stopwatch.GetElapsedTime(started);
            if (contended)
            {
                await Task.Delay(ContentionPause(took));
            }
            else if (paced && HasQueued(key))
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Min((long)(took.Ticks * PaceFactor), MaxPace.Ticks)));
            }
        }
    }

    private bool HasQueued(string key)
    {
        lock (_gate)
        {
            return _queues[key].Count > 0;
        }
    }

    private static TimeSpan ContentionPause(TimeSpan lastBatch) =>
        TimeSpan.FromTicks(Math.Clamp((long)(lastBatch.Ticks * (0.5 + Random.Shared.NextDouble())), MinContentionPause.Ticks, MaxContentionPause.Ticks));

    private sealed record Pending(T Item, TaskCompletionSource Completion);
}
