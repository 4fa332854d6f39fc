using Polly;
using Polly.Retry;

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
    /// Starting over after a lost race, defined once: a short delay growing with each loss, with
    /// jitter so racers spread out. A lost race is an outcome (null), not an exception, so a busy
    /// object costs no throw per attempt.
    /// </summary>
    private static readonly ResiliencePipeline<bool?> LostRaceRetry = new ResiliencePipelineBuilder<bool?>
    {
        Name = "stricture-compare-and-swap",
    }
        .AddRetry(new RetryStrategyOptions<bool?>
        {
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome is { Result: null, Exception: null }),
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        })
        .Build();

    /// <summary>
    /// Applies <paramref name="update"/> to the object at <paramref name="key"/>: given the current
    /// content (null when the key does not exist), it returns the new content, or null when the
    /// current content already says what it should. Returns true when this call changed the object.
    /// With <paramref name="versions"/>, the first attempt starts from the version this process last
    /// saw instead of reading it (a stale one costs one failed replace, retried at once);
    /// <paramref name="lostRace"/> is told of every commit another writer got in before.
    /// </summary>
    public static async Task<bool> UpdateAsync(
        this IObjectStore store, string key, Func<ReadOnlyMemory<byte>?, byte[]?> update, CancellationToken cancellationToken,
        ObjectVersions? versions = null, Action? lostRace = null)
    {
        var attempt = new Attempt(store, key, update, versions, lostRace);
        if (versions?.Get(key) is { } remembered && await attempt.TryAsync(remembered, cancellationToken) is { } settled)
        {
            return settled;
        }
        return await RetryLostRacesAsync(key, async token => await attempt.TryAsync(await attempt.Store.ReadAsync(attempt.Key, token), token), cancellationToken);
    }

    /// <summary>
    /// Runs a read-modify-write of <paramref name="key"/> of the caller's own (which reads, decides and
    /// commits conditionally, returning null when another writer got in first) until it settles, with
    /// the same delays between attempts as <see cref="UpdateAsync"/>.
    /// </summary>
    public static async Task<bool> RetryLostRacesAsync(string key, Func<CancellationToken, ValueTask<bool?>> attempt, CancellationToken cancellationToken)
    {
        var outcome = await LostRaceRetry.ExecuteAsync(static (attempt, token) => attempt(token), attempt, cancellationToken);
        return outcome ?? throw new ObjectStoreUnavailableException($"'{key}' kept changing under {MaxAttempts} attempts to update it; retry later.");
    }

    private sealed record Attempt(
        IObjectStore Store, string Key, Func<ReadOnlyMemory<byte>?, byte[]?> Update, ObjectVersions? Versions, Action? LostRace)
    {
        /// <returns>Whether this attempt changed the object, or null when another writer got in first.</returns>
        public async ValueTask<bool?> TryAsync(StoredObject? current, CancellationToken cancellationToken)
        {
            var next = Update(current?.Content);
            if (next is null)
            {
                if (current is not null)
                {
                    Versions?.Set(current);
                }
                return false;
            }
            var commit = await Store.CommitIfUnchangedAsync(Key, next, current?.ETag, cancellationToken);
            if (!commit.Won)
            {
                LostRace?.Invoke();
                return null;
            }
            if (commit.ETag is { } etag)
            {
                Versions?.Set(new StoredObject(Key, next, etag, commit.Sha256));
            }
            else
            {
                Versions?.Forget(Key);
            }
            return true;
        }
    }
}
