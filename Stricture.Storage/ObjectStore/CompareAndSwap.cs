namespace Stricture.Storage.ObjectStore;

/// <summary>
/// Read-modify-write of one small object with optimistic concurrency: read it, compute the new
/// content, commit only if nobody changed it meanwhile (create-if-absent when it did not exist,
/// replace-if-match otherwise), and start over when someone did. Writers in other processes
/// therefore never overwrite each other's changes.
/// </summary>
public static class CompareAndSwap
{
    /// <summary>How many lost races in a row before giving up (as unavailable, so the caller retries later).</summary>
    public const int MaxAttempts = 64;

    /// <summary>
    /// Applies <paramref name="update"/> to the object at <paramref name="key"/>: given the current
    /// content (null when the key does not exist), it returns the new content, or null when the
    /// current content already says what it should. Returns true when this call changed the object.
    /// </summary>
    public static async Task<bool> UpdateAsync(
        this IObjectStore store, string key, Func<ReadOnlyMemory<byte>?, byte[]?> update, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await store.ReadAsync(key, cancellationToken);
            var next = update(current?.Content);
            if (next is null)
            {
                return false;
            }
            await using var staged = await store.StageBytesAsync(next, cancellationToken);
            var won = current is null
                ? await store.CommitIfAbsentAsync(staged, key, cancellationToken) == CreateOutcome.Created
                : await store.CommitIfMatchAsync(staged, key, current.ETag, cancellationToken) == ReplaceOutcome.Replaced;
            if (won)
            {
                return true;
            }
            // Lost a race with another writer: back off a little, with jitter so racers spread out.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 5)), cancellationToken);
        }
        throw new ObjectStoreUnavailableException($"'{key}' kept changing under {MaxAttempts} attempts to update it; retry later.");
    }
}
