using System.Security.Cryptography;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The filesystem driver: a key is a path under the data directory. Content is staged as a temp
/// file in <c>.staging/</c> (written, fsynced), then linked into place with link(2), which fails
/// rather than replace an existing record, and the directory entry is fsynced before the commit
/// returns. A reader therefore sees a complete file or none, after any crash; leftover temp files
/// live only in <c>.staging/</c>, outside every key, and are removed at start-up. The SHA-256 of each
/// file is kept in its <c>user.stricture.sha256</c> extended attribute (which a hard link shares)
/// and checked on every read, where the filesystem supports user extended attributes.
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string StagingDirectoryName = ".staging";
    private const int LockStripes = 64;
    private const string Sha256Attribute = "user.stricture.sha256";

    private readonly string _root;
    private readonly string _staging;
    private readonly DirectorySync _directorySync = new();
    private readonly OpenListings _openListings = new();
    private readonly SemaphoreSlim[] _replaceLocks =
        Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public FileSystemObjectStore(string dataDirectory)
    {
        _root = Path.GetFullPath(dataDirectory);
        _staging = Path.Combine(_root, StagingDirectoryName);
        Directory.CreateDirectory(_staging);
    }

    public string DataDirectory => _root;

    /// <summary>
    /// Deletes temp files a crashed process left behind. Call only while no other process writes
    /// to this data directory (the ingest server holds <see cref="DataDirectoryLock"/> first).
    /// </summary>
    public int RemoveLeftoverStagingFiles()
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_staging))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    public async Task<StagedObject> StageAsync(
        Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_staging, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
            await using var hashing = new HashingWriteStream(file);
            await writeContent(hashing, cancellationToken);
            await file.FlushAsync(cancellationToken);
            var sha256 = hashing.FinishSha256();
            Posix.TrySetAttribute(file.SafeFileHandle, Sha256Attribute, sha256);
            file.Flush(flushToDisk: true);
            return new FileSystemStagedObject(path, sha256, hashing.BytesWritten);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            File.Delete(path);
            throw DiskFull.Exception(exception);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public Task PrepareKeyAsync(string key, CancellationToken cancellationToken) =>
        EnsureDirectoryAsync(Path.GetDirectoryName(PathOf(key))!);

    public async Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        await EnsureDirectoryAsync(directory);
        bool created;
        try
        {
            created = Posix.TryLink(Staged(staged).Path, target);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
        // Also when the key existed: another writer may have linked it and not yet flushed the entry,
        // and AlreadyExists promises the existing content is durable.
        await _directorySync.SyncAsync(directory);
        if (created)
        {
            staged.CommittedETag = staged.Sha256;
        }
        return created ? CreateOutcome.Created : CreateOutcome.AlreadyExists;
    }

    public async Task<ReplaceOutcome> CommitIfMatchAsync(
        StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        // One process owns a data directory (DataDirectoryLock), so an in-process lock per key
        // makes read-compare-rename atomic.
        var gate = _replaceLocks[(StringComparer.Ordinal.GetHashCode(key) & int.MaxValue) % LockStripes];
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
            try
            {
                File.Move(Staged(staged).Path, target, overwrite: true);
            }
            catch (IOException exception) when (DiskFull.Is(exception))
            {
                throw DiskFull.Exception(exception);
            }
            await _directorySync.SyncAsync(Path.GetDirectoryName(target)!);
            staged.CommittedETag = staged.Sha256;
            return ReplaceOutcome.Replaced;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        byte[] content;
        string? recorded;
        try
        {
            // Bytes and recorded hash from one open file: a concurrent replace renames a new file
            // over the path, and must not pair the old bytes with the new hash.
            await using var file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            content = new byte[file.Length];
            await file.ReadExactlyAsync(content, cancellationToken);
            recorded = Posix.GetAttribute(file.SafeFileHandle, Sha256Attribute);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (recorded is not null && recorded != actual)
        {
            throw new ObjectIntegrityException(key, recorded, actual);
        }
        // The ETag is the content's hash: exactly what compare-and-swap must compare.
        return new StoredObject(key, content, actual, actual);
    }

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            // Without user extended attributes (some filesystems), the hash is computed instead of recalled.
            var sha256 = Posix.GetAttribute(file.SafeFileHandle, Sha256Attribute) ?? Convert.ToHexStringLower(SHA256.HashData(file));
            return Task.FromResult<ObjectInfo?>(new ObjectInfo(key, file.Length, sha256));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<ObjectInfo?>(null);
        }
    }

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

    /// <summary>The driver's own files at the top of the data directory, which are not keys.</summary>
    private static bool IsInternal(string key) =>
        key.StartsWith(StagingDirectoryName + "/", StringComparison.Ordinal) || key == DataDirectoryLock.FileName;

    public async Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        await using var probe = await this.StageBytesAsync("probe"u8.ToArray(), cancellationToken);
    }

    private string PathOf(string key)
    {
        ObjectKeyRules.ThrowIfInvalid(key);
        return Path.Combine(_root, key);
    }

    private async Task EnsureDirectoryAsync(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        var parent = Path.GetDirectoryName(directory)!;
        await EnsureDirectoryAsync(parent);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
        // The new entry lives in the parent; it must be durable before anything inside it counts.
        await _directorySync.SyncAsync(parent);
    }

    private static FileSystemStagedObject Staged(StagedObject staged) =>
        staged as FileSystemStagedObject
        ?? throw new ArgumentException("Content staged by another store cannot be committed here.", nameof(staged));

    private sealed class FileSystemStagedObject(string path, string sha256, long length) : StagedObject(sha256, length)
    {
        public string Path { get; } = path;

        public override ValueTask DisposeAsync()
        {
            File.Delete(Path);
            return ValueTask.CompletedTask;
        }
    }
}
