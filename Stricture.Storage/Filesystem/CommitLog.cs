using System.Text;
using Microsoft.Win32.SafeHandles;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The filesystem driver's write-ahead log with group commit (how databases beat one durable file
/// write per change). A commit appends one record, its key and whole content, to the log and waits
/// for an fdatasync of the log that started after its append; concurrent commits share that one
/// flush. Only then does the driver put the file in place (a move or a link), with no fsync of its
/// own: a commit that returns is durable because its record is, and a file becomes visible only once its record
/// is durable, so nothing visible can be lost that a log does not hold.
///
/// What a crash leaves: every record up to the last completed flush is whole (a torn tail fails
/// the record checks and is ignored: no commit it held had returned); files linked since the last
/// checkpoint, and their directories, may be missing or torn. <see cref="Recover"/>, run at
/// start-up by the data directory's owner before anything is read, rewrites durably every key the
/// surviving logs name whose file does not hold its last logged content, then retires the logs.
///
/// Checkpoint: once a log file passes its size limit, appends go to a new one; when every commit
/// of the old one has linked its file, one syncfs makes those files durable and the old log is
/// retired. Checkpoints complete in the order the logs were created, so a recovery never replays
/// an older log over a newer state.
///
/// Retired logs are recycled (<see cref="SpareLogs"/>): a new log is a spare renamed into place when
/// there is one, so its flushes overwrite blocks the file has instead of growing it. A recycled file
/// still holds its earlier records past the new ones: each record's check covers the name of the log
/// it was written to, so those fail their checks where the new records end, like a torn tail. With
/// <c>prepareSpares</c>, once a new (not recycled) log is half full, a spare of zeros is made beside it.
///
/// The records' layout and checks: <see cref="LogRecords"/>.
/// </summary>
internal sealed class CommitLog : IDisposable
{
    public const string DirectoryName = ".wal";

    /// <summary>A log file's size past which the next append starts a new file (and the old one is checkpointed).</summary>
    public const long DefaultRotateBytes = 64L * 1024 * 1024;

    /// <summary>Checkpointed logs kept for reuse; more are deleted.</summary>
    public const int MaxSpares = SpareLogs.Max;

    private readonly string _directory;
    private readonly string _dataDirectory;
    private readonly long _rotateBytes;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    // Flushed through the handle the log is written by (no open per flush); a log's handle stays open
    // until its checkpoint, which waits for every commit, and so every flush, of it.
    private readonly GroupSync<LogFile> _flushes = new(file => Posix.Fdatasync(file.Handle));
    private readonly SpareLogs _spares;
    private readonly bool _prepareSpares;
    private readonly bool _sharedFolder;
    private LogFile? _current;
    // Under the gate: appends made with revealedLater whose files are not yet in place.
    private readonly List<Task> _unrevealed = [];
    private int _generation;
    private Task _checkpoints = Task.CompletedTask;

    /// <param name="dataDirectory">The directory whose files the log makes durable (the log lives in its <c>.wal/</c>).</param>
    /// <param name="rotateBytes">A log file's size past which it is checkpointed.</param>
    /// <param name="prepareSpares">Whether a zeroed spare is made once a new log is half full (<see cref="SpareLogs"/>).</param>
    /// <param name="sharedFolder">
    /// Another live process may log in the same folder (the mirror spool's, written by ingest and the
    /// replicator): <see cref="Recover"/> then leaves alone the logs a live process holds.
    /// </param>
    public CommitLog(string dataDirectory, long rotateBytes = DefaultRotateBytes, bool prepareSpares = false, bool sharedFolder = false)
    {
        _prepareSpares = prepareSpares;
        _sharedFolder = sharedFolder;
        _dataDirectory = dataDirectory;
        _directory = Path.Combine(dataDirectory, DirectoryName);
        _spares = new SpareLogs(_directory, _instance, rotateBytes);
        _rotateBytes = rotateBytes;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>
    /// Appends the staged content as <paramref name="key"/>'s record. The append is made before this
    /// returns, so it is ordered after every earlier append; <see cref="LogAppend.Durable"/> ends
    /// once the record is durable and every earlier append made with <paramref name="revealedLater"/>
    /// has been put in place (<see cref="LogAppend.Revealed"/>). Dispose the append once the file is
    /// in place: the log is not checkpointed while a commit it holds is between its flush and its move
    /// into place.
    /// </summary>
    /// <param name="key">The key the record is for.</param>
    /// <param name="staged">Its content, staged.</param>
    /// <param name="revealedLater">
    /// The caller answers before the record is durable (a create whose outcome is decided once it is
    /// logged): commits logged after this one wait for its <see cref="LogAppend.Revealed"/> before
    /// they go into place, so nothing made meanwhile that names its key is visible before it.
    /// </param>
    public LogAppend Append(string key, StagedObject staged, bool revealedLater = false)
    {
        LogFile file;
        Task[] earlier;
        TaskCompletionSource? revealed;
        lock (_gate)
        {
            file = _current ??= Open();
            var header = LogRecords.Header(key, staged, file.NameBytes);
            var offset = file.Length;
            try
            {
                if (staged.Content is { } content)
                {
                    RandomAccess.Write(file.Handle, [header, content], offset);
                }
                else
                {
                    RandomAccess.Write(file.Handle, header, offset);
                    LogRecords.CopyContent(staged, file.Handle, offset + header.Length);
                }
            }
            catch
            {
                // A partial record may sit at the tail: end this file there, so no later record
                // follows a torn one (recovery stops at the first record that fails its checks).
                Seal(file);
                throw;
            }
            file.Length = offset + header.Length + staged.Length;
            // Counted up only under the gate and before the file is sealed; counted down without it (Release).
            Interlocked.Increment(ref file.InFlight);
            if (_prepareSpares && !file.Recycled && file.Length >= _rotateBytes / 2)
            {
                _spares.PrepareIfNone();
            }
            if (file.Length >= _rotateBytes)
            {
                Seal(file);
            }
            // At most the creates in flight (one per concurrent post), so the copy is short.
            _unrevealed.RemoveAll(task => task.IsCompleted);
            earlier = _unrevealed.Count == 0 ? [] : [.. _unrevealed];
            revealed = revealedLater ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            if (revealed is not null)
            {
                _unrevealed.Add(revealed.Task);
            }
        }
        return new LogAppend(() => Release(file), DurableAsync(file, earlier), revealed);
    }

    private async Task DurableAsync(LogFile file, Task[] earlierUnrevealed)
    {
        await _flushes.SyncAsync(file);
        // Never faulted: each is set once its create has put its file in place or failed to.
        await Task.WhenAll(earlierUnrevealed);
    }

    /// <summary>
    /// Replays the logs a previous process left (never this one's, and in a shared folder none whose
    /// process is alive: each process holds a lock on its logs until they are retired, which the kernel
    /// drops when it dies): for each key they name, when
    /// <paramref name="holds"/> says its file lacks the last logged content (by SHA-256),
    /// <paramref name="restore"/> rewrites it durably. Then the logs are retired (kept as spares, or
    /// deleted). Returns how many keys were restored. Only the data directory's owner may call this,
    /// before anything reads.
    /// </summary>
    public int Recover(Func<string, string, bool> holds, Action<string, byte[]> restore)
    {
        _spares.Adopt();
        var logs = Directory.EnumerateFiles(_directory, "*.log")
            .Where(path => !Path.GetFileName(path).Contains(_instance, StringComparison.Ordinal))
            // In a shared folder, a log that is locked, or gone (retired by its owner meanwhile), is a live process's.
            .Where(path => !_sharedFolder || Posix.IsUnlocked(path))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (logs.Count == 0)
        {
            return 0;
        }
        var last = new Dictionary<string, LogRecords.LoggedContent>(StringComparer.Ordinal);
        foreach (var log in logs)
        {
            foreach (var record in LogRecords.ReadRecords(log))
            {
                last[record.Key] = record;
            }
        }
        var restored = 0;
        foreach (var (key, record) in last)
        {
            if (!holds(key, record.Sha256))
            {
                restore(key, LogRecords.ReadContent(record));
                restored++;
            }
        }
        // The restored files are durable (restore syncs them); the rest were checked against the log,
        // but may be dirty in the page cache after a crash of the process alone: flush them before the
        // logs that could rebuild them go (recycled like checkpointed ones).
        Posix.Syncfs(_dataDirectory);
        logs.ForEach(_spares.Retire);
        Posix.FsyncDirectory(_directory);
        return restored;
    }

    /// <summary>The keys whose durability rests on the logs in a data directory now (committed since the last checkpoint).</summary>
    internal static HashSet<string> KeysAwaitingCheckpoint(string dataDirectory) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, DirectoryName), "*.log")
            .SelectMany(LogRecords.ReadRecords)
            .Select(record => record.Key)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Checkpoints the current log (at shutdown), so the next start has nothing to replay.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_current is { } file)
            {
                Seal(file);
            }
        }
        try
        {
            Task.WaitAll([_checkpoints, _spares.Zeroing], TimeSpan.FromMinutes(1));
        }
        catch (AggregateException)
        {
            // The logs stay; the next start replays them.
        }
    }

    /// <summary>Under the gate: the next log file, a spare renamed into place when there is one.</summary>
    private LogFile Open()
    {
        var name = $"{DateTime.UtcNow.Ticks:D19}-{_instance}-{++_generation:D6}.log";
        var path = Path.Combine(_directory, name);
        // The lock is held until the log is retired: a recovery by another process sharing the folder
        // skips the log. A spare is locked before it takes the log's name; a new file just after.
        var spare = _spares.TryTake(path);
        var handle = spare ?? File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        if (spare is null)
        {
            _ = Posix.HoldShared(handle);
        }
        // The log's own directory entry must be durable before any record in it counts.
        Posix.FsyncDirectory(_directory);
        return new LogFile(path, handle) { Recycled = spare is not null };
    }

    /// <summary>Under the gate: no more appends to <paramref name="file"/>; checkpoint it once its commits are linked.</summary>
    private void Seal(LogFile file)
    {
        if (file.Sealed)
        {
            return;
        }
        // The barrier orders the seal before the read of the count: a Release that counts down to zero
        // after it sees the seal, or this sees its zero (both may: setting the result twice is harmless).
        Volatile.Write(ref file.Sealed, true);
        Interlocked.MemoryBarrier();
        if (ReferenceEquals(_current, file))
        {
            _current = null;
        }
        if (Volatile.Read(ref file.InFlight) == 0)
        {
            file.Drained.TrySetResult();
        }
        var previous = _checkpoints;
        _checkpoints = CheckpointAsync(previous, file);
    }

    private async Task CheckpointAsync(Task previous, LogFile file)
    {
        // A failed earlier checkpoint keeps its log; deleting a later one would let a recovery
        // replay the older log over newer content. So this one fails too.
        await previous;
        await file.Drained.Task;
        await Task.Run(() => Posix.Syncfs(_dataDirectory));
        _spares.Retire(file.Path);
        Posix.FsyncDirectory(_directory);
        // Only now: while the log may still be replayed, its lock marks it as this live process's. A
        // failed checkpoint keeps it (and the lock) until the process ends.
        file.Handle.Dispose();
    }

    /// <summary>A commit of <paramref name="file"/> is in place. Without the gate, which appends hold while they write.</summary>
    private static void Release(LogFile file)
    {
        if (Interlocked.Decrement(ref file.InFlight) == 0 && Volatile.Read(ref file.Sealed))
        {
            file.Drained.TrySetResult();
        }
    }

    private sealed class LogFile(string path, SafeFileHandle handle)
    {
        public string Path { get; } = path;
        /// <summary>The file name each record's check covers, so records a recycled file held before fail theirs.</summary>
        public byte[] NameBytes { get; } = Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(path));
        public SafeFileHandle Handle { get; } = handle;
        public long Length;
        public int InFlight;
        /// <summary>Opened from a spare: its blocks exist, so no spare needs zeroing for it.</summary>
        public bool Recycled;
        public bool Sealed;
        public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// One record appended: <see cref="Durable"/> ends when it is durable (and every earlier create
    /// answered before its flush is in place); dispose once its file is in place, or its commit failed.
    /// </summary>
    internal sealed class LogAppend : IDisposable
    {
        private readonly Action _release;
        private readonly TaskCompletionSource? _revealed;
        private int _disposed;

        internal LogAppend(Action release, Task durable, TaskCompletionSource? revealed)
        {
            _release = release;
            _revealed = revealed;
            Durable = durable;
        }

        public Task Durable { get; }

        /// <summary>Releases the commits logged after this one (appended with revealedLater): its file is in place, or never will be.</summary>
        public void Revealed() => _revealed?.TrySetResult();

        public void Dispose()
        {
            Revealed();
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _release();
            }
        }
    }
}
