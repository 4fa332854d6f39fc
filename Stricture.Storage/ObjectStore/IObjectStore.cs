namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The seam between the record store and the place bytes live (a data directory, an S3 bucket).
///
/// Design note. Records are immutable and derived objects are updated by compare-and-swap, so the
/// seam offers exactly two ways to make content visible at a key: create it only if the key is
/// absent, or replace it only if it still holds a known version (ETag). Content is first staged
/// (written somewhere invisible, hashed and made durable), then committed; that lets a caller learn
/// the SHA-256 and size of what it is about to store before anything is visible, and lets a large
/// payload be written once, streaming, without holding it in memory.
///
/// Atomicity contract, for every driver: a key either does not exist or holds complete content,
/// after any crash. A commit that returns has made its content durable (on disk: data and
/// directory entries flushed; on an object store: the PUT succeeded). An
/// <see cref="CreateOutcome.AlreadyExists"/> answer also means the existing content is durable.
///
/// Outcomes are driver-neutral values; drivers never let SDK or IO exceptions for expected
/// outcomes escape. A store that cannot be reached throws <see cref="ObjectStoreUnavailableException"/>.
///
/// Implement this for a new kind of store; to change what is stored, change the record store instead.
/// </summary>
public interface IObjectStore
{
    /// <summary>Writes content to a staging area that is invisible at every key.</summary>
    Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken);

    /// <summary>Makes staged content visible at <paramref name="key"/> unless something is already there.</summary>
    Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CommitIfAbsentAsync"/> answered as soon as its outcome is decided. A
    /// <see cref="CreateOutcome.Created"/> answer may come before the content is durable and
    /// visible: <see cref="PendingCreate.Completion"/> ends when it is (what
    /// <see cref="CommitIfAbsentAsync"/>'s return means), or fails. Meanwhile every commit the store
    /// makes after the answer becomes visible only after this content, so the caller may commit
    /// objects that name it without waiting (the filesystem driver then flushes both at once). The
    /// default commits first and answers after.
    /// </summary>
    async Task<PendingCreate> BeginCommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken) =>
        new(await CommitIfAbsentAsync(staged, key, cancellationToken), Task.CompletedTask);

    /// <summary>
    /// True when a commit that answers <see cref="CreateOutcome.Created"/> guarantees that the store
    /// holds exactly the staged bytes because the store itself checked them on receipt, so reading the
    /// object back would prove nothing more. A store that cannot promise that answers false.
    /// </summary>
    bool ChecksCommittedContent => false;

    /// <summary>
    /// True when this process is the store's only writer for as long as it runs (the filesystem
    /// driver: one process per data directory), so what the process last wrote at a key is what the
    /// key holds, and a view it keeps in step with its own writes is exact. A store several processes
    /// write answers false, and its readers read.
    /// </summary>
    bool HasSingleWriter => false;

    /// <summary>Replaces the content at <paramref name="key"/> only if its current ETag is <paramref name="expectedETag"/>.</summary>
    Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken);

    /// <summary>Reads a whole object, or null when the key does not exist.</summary>
    Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>An object's size and recorded SHA-256 without reading its content, or null when the key does not exist.</summary>
    Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken);

    /// <summary>Lists keys under a prefix in ordinal order, a page at a time.</summary>
    Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken);

    /// <summary>Proves the store is reachable and writable now (used by readiness checks).</summary>
    Task ProbeWritableAsync(CancellationToken cancellationToken);
}
