namespace Stricture.Storage.Filesystem;

/// <summary>
/// Group commit for fsyncs of a file (the commit log's, through its open handle). A caller needs an
/// fsync that starts after its own write; callers that arrive while one fsync runs all share the next one, so N
/// concurrent writers cost about two fsyncs, not N. Every caller still returns only after an fsync
/// that covers its write has completed.
/// </summary>
/// <typeparam name="TFile">What names a file to flush (compared by the default equality).</typeparam>
internal sealed class GroupSync<TFile>
    where TFile : notnull
{
    private sealed class Target
    {
        public bool Running;
        public TaskCompletionSource? Next;
    }

    private readonly Dictionary<TFile, Target> _targets = new();
    private readonly Action<TFile> _fsync;

    public GroupSync(Action<TFile> fsync) => _fsync = fsync;

    public Task SyncAsync(TFile file)
    {
        TaskCompletionSource waitFor;
        var startNow = false;
        lock (_targets)
        {
            if (!_targets.TryGetValue(file, out var target))
            {
                target = new Target();
                _targets[file] = target;
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
            _ = Task.Run(() => RunFrom(file, waitFor));
        }
        return waitFor.Task;
    }

    private void RunFrom(TFile file, TaskCompletionSource batch)
    {
        while (true)
        {
            try
            {
                _fsync(file);
                batch.SetResult();
            }
            catch (Exception exception)
            {
                batch.SetException(exception);
            }
            lock (_targets)
            {
                var target = _targets[file];
                if (target.Next is null)
                {
                    // Idle: forget the file so entries do not pile up.
                    _targets.Remove(file);
                    return;
                }
                batch = target.Next;
                target.Next = null;
            }
        }
    }
}
