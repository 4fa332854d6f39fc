namespace Stricture.Storage.Filesystem;

/// <summary>
/// Staging files whose inodes are kept for reuse instead of being freed: the old file a replace
/// swapped out of its key (<see cref="Posix.TryExchange"/>), and a staged file no commit took.
/// <para>
/// <b>Why.</b> Every post replaces several small objects (latest pointer, compacted manifests and
/// marks, organization shards). Renaming a new file over each one frees an inode and allocates one,
/// thousands of times a second; on ext4 without a journal, every allocation then skips the inodes
/// freed in the last minute (<c>recently_deleted</c>), a scan that grew to a quarter of the server's
/// CPU. A reused inode is neither freed nor allocated: staging truncates and rewrites it.
/// </para>
/// <para>
/// <b>Readers.</b> A file is handed out only <see cref="ReuseAfter"/> after it left its key, so a
/// reader that opened it just before the swap has long finished. A reader in this process that
/// still meets it finds that the file it read is no longer the one at the key (by inode number), or
/// bytes that do not match their recorded SHA-256, and reads the key again
/// (<see cref="FileSystemObjectStore.ReadAsync"/>). Files larger than <see cref="MaxRecycledBytes"/>,
/// and any past <see cref="Capacity"/> files or <see cref="MaxKeptBytes"/> in all, are deleted
/// instead, so the pool never holds much disk. The pool is emptied with the rest of the
/// staging folder at start-up.
/// </para>
/// </summary>
internal sealed class RecycledFiles(TimeProvider time, TimeSpan reuseAfter)
{
    public static readonly TimeSpan DefaultReuseAfter = TimeSpan.FromSeconds(5);

    /// <summary>Files kept at most; past this a returned file is deleted (its inode freed as before).</summary>
    public const int Capacity = 16_384;

    /// <summary>Files larger than this are deleted rather than kept.</summary>
    public const long MaxRecycledBytes = 1024 * 1024;

    /// <summary>Bytes of old content the kept files may hold in all (until they are rewritten); past this a returned file is deleted.</summary>
    public const long MaxKeptBytes = 64L * 1024 * 1024;

    // Oldest first, so the head is the first ready; one lock, held for a queue operation, keeps a
    // file that is not ready yet from being taken by a racing caller.
    private readonly Queue<(string Path, long Length, long ReadyAt)> _files = new();
    private readonly Lock _lock = new();
    private long _keptBytes;

    // Set once renameat2's exchange turns out unsupported here: every replace then renames.
    private volatile bool _swapUnsupported;

    public TimeSpan ReuseAfter => reuseAfter;

    /// <summary>
    /// Swaps the file at <paramref name="temp"/> in at <paramref name="target"/>, which exists, in one
    /// atomic step, and keeps the old file (now at <paramref name="temp"/>, <paramref name="oldLength"/>
    /// bytes) for reuse. False, with nothing changed, where the filesystem or the C library cannot swap.
    /// </summary>
    public bool TrySwapIn(string temp, string target, long oldLength)
    {
        if (_swapUnsupported)
        {
            return false;
        }
        try
        {
            if (Posix.TryExchange(temp, target))
            {
                Return(temp, oldLength);
                return true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without renameat2.
        }
        _swapUnsupported = true;
        return false;
    }

    /// <summary>A file ready to be rewritten, or null (stage into a new file).</summary>
    public string? Take()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_files.TryPeek(out var oldest) || oldest.ReadyAt > now)
            {
                return null;
            }
            _files.Dequeue();
            _keptBytes -= oldest.Length;
            return oldest.Path;
        }
    }

    /// <summary>Keeps a staging file for reuse, or deletes it when it is large or the pool is full.</summary>
    public void Return(string path, long length)
    {
        var readyAt = time.GetTimestamp() + (long)(reuseAfter.TotalSeconds * time.TimestampFrequency);
        lock (_lock)
        {
            if (length <= MaxRecycledBytes && _files.Count < Capacity && _keptBytes + length <= MaxKeptBytes)
            {
                _files.Enqueue((path, length, readyAt));
                _keptBytes += length;
                return;
            }
        }
        File.Delete(path);
    }
}
