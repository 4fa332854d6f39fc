using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The filesystem driver: a key is a path under the data directory. Content is staged as a temp
/// file in <c>.staging/</c> (<see cref="StagingArea"/>), its SHA-256 kept in an extended attribute
/// (<see cref="Sha256Attribute"/>, which a hard link shares, and which every read checks, where the
/// filesystem supports user extended attributes).
///
/// A commit is made durable by the <see cref="CommitLog"/> in <c>.wal/</c>: its record (key and
/// content) is appended and flushed together with every other commit in flight (group commit: one
/// fdatasync for many posts), and only then is the staged file moved into place (renameat2(2) with
/// RENAME_NOREPLACE, or link(2) where the filesystem lacks it: both fail rather than replace, which
/// is create-if-absent) or swapped with the old one (compare-and-swap: renameat2's RENAME_EXCHANGE,
/// the old file then recycled as a temp file, <see cref="RecycledFiles"/>; a rename over it where
/// the filesystem cannot swap), without fsyncs of its own. A reader
/// therefore sees a complete file or none, and after a crash the owner's start-up
/// (<see cref="Recover"/>) restores from the log any file the crash tore or lost before anything
/// is read. Leftover temp files live only in <c>.staging/</c>, outside every
/// key, and are removed then too. A create may be answered as soon as it is logged
/// (<see cref="BeginCommitIfAbsentAsync"/>, a run's record): it still goes into place only after its
/// flush, and every commit logged after it goes into place after it.
///
/// One process owns a data directory (<see cref="DataDirectoryLock"/>): commits of one key are
/// serialised by an in-process lock held from the existence or version check through the link, so
/// the log holds at most one create per key and its replaces in the order they were made.
/// </summary>
public sealed partial class FileSystemObjectStore : IObjectStore, IDisposable
{
    private const string StagingDirectoryName = ".staging";
    private const int LockStripes = 1024;

    private readonly string _root;
    private readonly StagingArea _staging;
    private readonly RecycledFiles? _recycled;
    private readonly CommitLog _log;
    private readonly OpenListings _openListings = new();
    private readonly SemaphoreSlim[] _keyLocks =
        Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public FileSystemObjectStore(string dataDirectory)
        : this(dataDirectory, CommitLog.DefaultRotateBytes, prepareSpareLogs: true)
    {
    }

    /// <param name="dataDirectory">The directory keys live under.</param>
    /// <param name="commitLogRotateBytes">Size of a commit log file past which it is checkpointed (small in tests).</param>
    /// <param name="recycledReuseAfter">How long a replaced file waits before it is rewritten as a temp file (<see cref="RecycledFiles"/>).</param>
    /// <param name="prepareSpareLogs">Whether a data directory with no spare log zeroes one ahead of need (<see cref="CommitLog"/>).</param>
    /// <param name="sharedFolder">Another live process may commit in the same folder (see <see cref="Recover"/>).</param>
    internal FileSystemObjectStore(
        string dataDirectory, long commitLogRotateBytes, TimeSpan? recycledReuseAfter = null, bool prepareSpareLogs = false, bool sharedFolder = false)
    {
        _root = Path.GetFullPath(dataDirectory);
        // Files are recycled only where a reader can tell a recycled file from its key's (by inode number).
        Directory.CreateDirectory(_root);
        _recycled = Posix.InodeOf(_root) is > 0 ? new RecycledFiles(TimeProvider.System, recycledReuseAfter ?? RecycledFiles.DefaultReuseAfter) : null;
        _staging = new StagingArea(Path.Combine(_root, StagingDirectoryName), smallContentInFiles: true, _recycled);
        _log = new CommitLog(_root, commitLogRotateBytes, prepareSpareLogs, sharedFolder);
    }

    public string DataDirectory => _root;

    /// <summary>
    /// Whether creates move the staged file into place (renameat2's RENAME_NOREPLACE) rather than link it:
    /// cleared for good the first time the filesystem refuses that flag (tests clear it to take the link path).
    /// </summary>
    internal bool MovesIntoPlace { get; set; } = true;

    /// <inheritdoc/>
    /// <remarks>
    /// One process owns a data directory (<see cref="DataDirectoryLock"/>). The mirror replicator
    /// beside it only reads its keys (it deletes and moves its own spool entries, which nothing keeps a view of).
    /// </remarks>
    public bool HasSingleWriter => true;

    public async Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        try
        {
            return await _staging.StageAsync(writeContent, (file, sha256) => Sha256Attribute.TryWrite(file, sha256), cancellationToken);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
    }

    public async Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
    {
        var (outcome, inPlace) = await StartCreateAsync(staged, key, answeredEarly: false, cancellationToken);
        return outcome == CreateOutcome.Created && !await inPlace ? CreateOutcome.AlreadyExists : outcome;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The outcome is decided under the key's lock, once the create is in the commit log, and
    /// answered then; the flush and the move into place follow, the lock held until the file is
    /// there. Every commit logged after the answer waits for it before it goes into place
    /// (<see cref="CommitLog.Append"/>), and its flush covers this record too: a post's record and
    /// the catalog objects that name it share one flush.
    /// </remarks>
    public async Task<PendingCreate> BeginCommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
    {
        var (outcome, inPlace) = await StartCreateAsync(staged, key, answeredEarly: true, cancellationToken);
        return new PendingCreate(outcome, outcome == CreateOutcome.Created ? ThrowUnlessInPlaceAsync(inPlace, key) : Task.CompletedTask);
    }

    /// <summary>
    /// Under the key's lock: the key checked absent (whoever put an existing file in place held the lock
    /// through its log flush, so it is durable) and the create logged. <c>InPlace</c> then ends once the
    /// file is in place (false when something else is there), the lock held until then.
    /// </summary>
    private async Task<(CreateOutcome Outcome, Task<bool> InPlace)> StartCreateAsync(
        StagedObject staged, string key, bool answeredEarly, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var gate = KeyLock(key);
        await gate.WaitAsync(cancellationToken);
        CommitLog.LogAppend append;
        try
        {
            if (File.Exists(target))
            {
                gate.Release();
                return (CreateOutcome.AlreadyExists, Task.FromResult(false));
            }
            if (answeredEarly)
            {
                // Made now (when missing), before the answer: a full disk then fails the create here, not
                // its move into place after the answer, when what names the file may already be logged.
                EnsureDirectory(target);
            }
            append = AppendToLog(key, staged, revealedLater: answeredEarly);
        }
        catch
        {
            gate.Release();
            throw;
        }
        return (CreateOutcome.Created, PutInPlaceReleasingAsync(append, staged, target, gate));
    }

    private async Task<bool> PutInPlaceReleasingAsync(CommitLog.LogAppend append, StagedObject staged, string target, SemaphoreSlim gate)
    {
        try
        {
            return await PutInPlaceWhenDurableAsync(append, staged, target);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task ThrowUnlessInPlaceAsync(Task<bool> inPlace, string key)
    {
        if (!await inPlace)
        {
            // Under this key's lock, after it was found absent: only a writer outside this process.
            throw new IOException($"'{key}' appeared while this process was creating it; another writer is using the data directory.");
        }
    }

    public async Task<ReplaceOutcome> CommitIfMatchAsync(
        StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var gate = KeyLock(key);
        await gate.WaitAsync(cancellationToken);
        try
        {
            // The ETag is the content's SHA-256, recorded with the file: compare without reading it.
            var current = await GetInfoAsync(key, cancellationToken);
            if (current is null)
            {
                return ReplaceOutcome.NotFound;
            }
            if (!string.Equals(current.Sha256, expectedETag, StringComparison.Ordinal))
            {
                return ReplaceOutcome.PreconditionFailed;
            }
            using (var append = AppendToLog(key, staged))
            {
                await WhenDurableAsync(append);
                try
                {
                    ReplaceKeepingOldFile(staged, target, current.Length);
                }
                catch (IOException exception) when (DiskFull.Is(exception))
                {
                    throw DiskFull.Exception(exception);
                }
            }
            staged.CommittedETag = staged.Sha256;
            return ReplaceOutcome.Replaced;
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(KeyFileReader.Read(key, PathOf(key), checkStillAtKey: _recycled is not null));
    }

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(KeyFileReader.Info(key, PathOf(key)));

    public Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        // The token is the last key returned: continue that page's walk if it is still open, else
        // start one at the deepest directory the prefix names, after that key.
        var walk = continuationToken is null ? null : _openListings.Take(prefix, continuationToken);
        if (walk is null)
        {
            var directoryKey = prefix[..(prefix.LastIndexOf('/') + 1)];
            var directory = directoryKey.Length == 0 ? _root : PathOf(directoryKey.TrimEnd('/'));
            walk = new OpenListings.Walk(OrderedKeyWalk.Keys(directory, directoryKey, prefix, continuationToken, IsInternal).GetEnumerator());
        }
        var (keys, more) = walk.Next(maxKeys);
        if (more)
        {
            _openListings.Park(prefix, keys[^1], walk);
        }
        else
        {
            walk.Dispose();
        }
        return Task.FromResult(new ObjectListing(keys, more ? keys[^1] : null));
    }

    /// <summary>The keys under a prefix in ordinal order, lazily (what <see cref="ListAsync"/> pages through).</summary>
    public IEnumerable<string> EnumerateKeys(string prefix)
    {
        var directoryKey = prefix[..(prefix.LastIndexOf('/') + 1)];
        var directory = directoryKey.Length == 0 ? _root : PathOf(directoryKey.TrimEnd('/'));
        return OrderedKeyWalk.Keys(directory, directoryKey, prefix, null, IsInternal);
    }

    /// <summary>
    /// Removes a key, and <see cref="Move"/> renames one over another: for a queue's own bookkeeping
    /// (the mirror spool), not for records, which are never deleted. Neither is logged nor flushed,
    /// so a crash may undo one: a queue using them must take an entry twice without harm.
    /// </summary>
    public void Delete(string key) => File.Delete(PathOf(key));

    /// <inheritdoc cref="Delete"/>
    public void Move(string key, string newKey)
    {
        var target = PathOf(newKey);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(PathOf(key), target, overwrite: true);
    }

    /// <summary>The driver's own files at the top of the data directory, which are not keys.</summary>
    private static bool IsInternal(string key) =>
        key.StartsWith(StagingDirectoryName + "/", StringComparison.Ordinal)
        || key.StartsWith(CommitLog.DirectoryName + "/", StringComparison.Ordinal)
        || key == DataDirectoryLock.FileName;

    public async Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        await using var probe = await this.StageBytesAsync("probe"u8.ToArray(), cancellationToken);
    }

    private string PathOf(string key)
    {
        ObjectKeyRules.ThrowIfInvalid(key);
        return Path.Combine(_root, key);
    }

    /// <summary>Checkpoints the commit log, so the next start has nothing to replay.</summary>
    public void Dispose() => _log.Dispose();

    /// <summary>The commit's log record, appended; a full disk is a <see cref="StorageFullException"/>.</summary>
    private CommitLog.LogAppend AppendToLog(string key, StagedObject staged, bool revealedLater = false)
    {
        try
        {
            return _log.Append(key, staged, revealedLater);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
    }

    private static async Task WhenDurableAsync(CommitLog.LogAppend append)
    {
        try
        {
            await append.Durable;
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
    }

    private SemaphoreSlim KeyLock(string key) => _keyLocks[(StringComparer.Ordinal.GetHashCode(key) & int.MaxValue) % LockStripes];
}
