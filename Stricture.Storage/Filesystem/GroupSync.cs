namespace Stricture.Storage.Filesystem;

/// <summary>
/// Group commit for fsyncs of a path (the commit log's file). A caller needs an fsync that starts
/// after its own write; callers that arrive while one fsync runs all share the next one, so N
/// concurrent writers cost about two fsyncs, not N. Every caller still returns only after an fsync
/// that covers its write has completed.
/// </summary>
internal sealed class GroupSync
{
    private sealed class Target
    {
        public bool Running;
        public TaskCompletionSource? Next;
    }

    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly Action<string> _fsync;

    public GroupSync(Action<string> fsync) => _fsync = fsync;

    public Task SyncAsync(string path)
    {
        TaskCompletionSource waitFor;
        var startNow = false;
        lock (_targets)
        {
            if (!_targets.TryGetValue(path, out var target))
            {
                target = new Target();
                _targets[path] = target;
            }
            target.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waitFor = target.Next;
            if (!target.Running)
            {
                target.Running = true;
                target.Next = null;
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
            lock (_targets)
            {
                var target = _targets[path];
                if (target.Next is null)
                {
                    // Idle: forget the path so entries do not pile up.
                    _targets.Remove(path);
                    return;
                }
                batch = target.Next;
                target.Next = null;
            }
        }
    }
}
