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
    /// With <paramref name="versions"/>, the first attempt starts from the version this process last
    /// saw instead of reading it (a stale one costs one failed replace); <paramref name="lostRace"/>
    /// is told of every commit another writer got in before.
    /// </summary>
    public static async Task<bool> UpdateAsync(
        this IObjectStore store, string key, Func<ReadOnlyMemory<byte>?, byte[]?> update, CancellationToken cancellationToken,
        ObjectVersions? versions = null, Action? lostRace = null)
    {
        var remembered = versions?.Get(key);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = attempt == 1 && remembered is not null ? remembered : await store.ReadAsync(key, cancellationToken);
            var next = update(current?.Content);
            if (next is null)
            {
                if (current is not null)
                {
                    versions?.Set(current);
                }
                return false;
            }
            await using var staged = await store.StageBytesAsync(next, cancellationToken);
            var won = current is null
                ? await store.CommitIfAbsentAsync(staged, key, cancellationToken) == CreateOutcome.Created
                : await store.CommitIfMatchAsync(staged, key, current.ETag, cancellationToken) == ReplaceOutcome.Replaced;
            if (won)
            {
                if (staged.CommittedETag is { } etag)
                {
                    versions?.Set(new StoredObject(key, next, etag, staged.Sha256));
                }
                else
                {
                    versions?.Forget(key);
                }
                return true;
            }
            lostRace?.Invoke();
            if (attempt == 1 && remembered is not null)
            {
                continue; // only the remembered version was stale: read the current one at once
            }
            // Lost a race with another writer: back off a little, with jitter so racers spread out.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 5)), cancellationToken);
        }
        throw new ObjectStoreUnavailableException($"'{key}' kept changing under {MaxAttempts} attempts to update it; retry later.");
    }
}
