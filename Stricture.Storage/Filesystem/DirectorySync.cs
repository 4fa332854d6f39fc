namespace Stricture.Storage.Filesystem;

/// <summary>
/// Group commit for directory fsyncs. A caller needs an fsync of a directory that starts after
/// its own change to that directory; callers that arrive while one fsync runs all share the next
/// one, so N concurrent writers into one directory cost about two fsyncs, not N. Every caller
/// still returns only after an fsync that covers its change has completed.
/// </summary>
internal sealed class DirectorySync
{
    private sealed class Directory
    {
        public bool Running;
        public TaskCompletionSource? Next;
    }

    private readonly Dictionary<string, Directory> _directories = new(StringComparer.Ordinal);
    private readonly Action<string> _fsync;

    public DirectorySync(Action<string>? fsync = null) => _fsync = fsync ?? Posix.FsyncDirectory;

    public Task SyncAsync(string path)
    {
        TaskCompletionSource waitFor;
        var startNow = false;
        lock (_directories)
        {
            if (!_directories.TryGetValue(path, out var directory))
            {
                directory = new Directory();
                _directories[path] = directory;
            }
            directory.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waitFor = directory.Next;
            if (!directory.Running)
            {
                directory.Running = true;
                directory.Next = null;
                startNow = true;
            }
        }
        if (startNow)
        {
            _ = Task.Run(() => RunFrom(path, waitFor));
        }
        return waitFor.Task;
    }

    private void RunFrom(string path, TaskCompletionSource batch)
    {
        while (true)
        {
            try
            {
                _fsync(path);
                batch.SetResult();
            }
            catch (Exception exception)
            {
                batch.SetException(exception);
            }
            lock (_directories)
            {
                var directory = _directories[path];
                if (directory.Next is null)
                {
                    // Idle: forget the directory so one entry per run directory does not pile up.
                    _directories.Remove(path);
                    return;
                }
                batch = directory.Next;
                directory.Next = null;
            }
        }
    }
}
