using Microsoft.Win32.SafeHandles;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The commit log's spare files (<c>*.spare</c> in its folder): checkpointed logs kept for reuse, up
/// to <see cref="Max"/>, and renamed into place as later logs, whose records then overwrite blocks the
/// file already has. A flush of such a log writes only its data pages; a flush of a log that grows
/// also writes its inode (the new size) and waits for that, which on ext4 made an fdatasync take about
/// 0.6 ms instead of 0.35. A data directory's first logs have no spare to reuse, so
/// <see cref="PrepareIfNone"/> writes one of zeros ahead of need. Spares survive restarts (recovery
/// adopts them), so that happens once per data directory.
///
/// Rename, retire and adopt are safe beside another process using the same folder (the mirror
/// spool's log is shared by the server and the replicator): a spare that is gone when taken is
/// skipped, and each process names its spares with its own instance id.
/// </summary>
internal sealed class SpareLogs(string directory, string instance, long logBytes)
{
    /// <summary>Spares kept; a log retired beyond them is deleted.</summary>
    public const int Max = 2;

    private const string Extension = ".spare";
    private const string ZeroingExtension = ".zeroing";

    private readonly Lock _gate = new();
    private readonly Queue<string> _spares = new();
    private int _named;
    private bool _zeroing;

    /// <summary>The zeroing of a spare under way, if any (waited for at shutdown).</summary>
    public Task Zeroing { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Opens a spare for reading and writing, takes its shared lock (<see cref="Posix.HoldShared"/>) and
    /// only then renames it to <paramref name="path"/>; null when there is none.
    /// </summary>
    public SafeFileHandle? TryTake(string path)
    {
        lock (_gate)
        {
            while (_spares.TryDequeue(out var spare))
            {
                SafeFileHandle? handle = null;
                try
                {
                    handle = File.OpenHandle(spare, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                    _ = Posix.HoldShared(handle);
                    File.Move(spare, path);
                    return handle;
                }
                catch (FileNotFoundException)
                {
                    // Gone (taken or cleared by another process's start-up recovery): try the next one.
                    handle?.Dispose();
                }
                catch
                {
                    handle?.Dispose();
                    throw;
                }
            }
            return null;
        }
    }

    /// <summary>A checkpointed (or replayed) log: kept as a spare while there are fewer than <see cref="Max"/>, else deleted.</summary>
    public void Retire(string path)
    {
        lock (_gate)
        {
            if (_spares.Count < Max)
            {
                _spares.Enqueue(MoveToNewName(path));
                return;
            }
        }
        File.Delete(path);
    }

    /// <summary>At start-up recovery: the spares previous processes left become this one's, up to <see cref="Max"/>; half-written ones go.</summary>
    public void Adopt()
    {
        foreach (var zeroing in Others("*" + ZeroingExtension))
        {
            File.Delete(zeroing);
        }
        foreach (var spare in Others("*" + Extension))
        {
            lock (_gate)
            {
                if (_spares.Count < Max)
                {
                    _spares.Enqueue(spare);
                    continue;
                }
            }
            File.Delete(spare);
        }
    }

    /// <summary>When there is no spare and none is being made, writes one of zeros in the background.</summary>
    public void PrepareIfNone()
    {
        lock (_gate)
        {
            if (_zeroing || _spares.Count > 0)
            {
                return;
            }
            _zeroing = true;
            Zeroing = Task.Run(Zero);
        }
    }

    /// <summary>A log-sized file of zeros, made durable and then added to the spares. A failure only costs the optimization.</summary>
    private void Zero()
    {
        var zeroing = Path.Combine(directory, $"{instance}-{Guid.NewGuid():N}{ZeroingExtension}");
        try
        {
            using (var handle = File.OpenHandle(zeroing, FileMode.CreateNew, FileAccess.Write))
            {
                var zeros = new byte[1024 * 1024];
                for (long written = 0; written < logBytes; written += zeros.Length)
                {
                    RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, logBytes - written)), written);
                }
                RandomAccess.FlushToDisk(handle);
            }
            lock (_gate)
            {
                _spares.Enqueue(MoveToNewName(zeroing));
            }
            Posix.FsyncDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            File.Delete(zeroing);
        }
        finally
        {
            lock (_gate)
            {
                _zeroing = false;
            }
        }
    }

    /// <summary>Under the gate: renames a file to this process's next spare name.</summary>
    private string MoveToNewName(string path)
    {
        var spare = Path.Combine(directory, $"{instance}-{++_named:D6}{Extension}");
        File.Move(path, spare);
        return spare;
    }

    private IEnumerable<string> Others(string pattern) =>
        Directory.EnumerateFiles(directory, pattern).Where(path => !Path.GetFileName(path).Contains(instance, StringComparison.Ordinal)).ToList();
}
