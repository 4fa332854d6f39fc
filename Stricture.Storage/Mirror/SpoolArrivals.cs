namespace Stricture.Storage.Mirror;

/// <summary>
/// Wakes an idle replicator as soon as an entry lands in the spool's pending folder (inotify,
/// through <see cref="FileSystemWatcher"/>) instead of at its next poll: ingest spools a run just
/// before it answers 202, so its copy starts at once. The replicator still polls, as the fallback for
/// whatever the watcher cannot report (its event buffer overflowing, a filesystem without inotify).
/// </summary>
public sealed class SpoolArrivals : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    // At most one wake-up is kept: arrivals during a pass all mean "look again once it ends".
    private readonly SemaphoreSlim _arrived = new(0, 1);

    public SpoolArrivals(string pendingDirectory)
    {
        Directory.CreateDirectory(pendingDirectory);
        _watcher = new FileSystemWatcher(pendingDirectory) { NotifyFilter = NotifyFilters.FileName };
        // Ingest links a new entry into place (Created); a file moved in from elsewhere is Renamed or Created.
        _watcher.Created += (_, _) => Signal();
        _watcher.Renamed += (_, _) => Signal();
        _watcher.Error += (_, _) => Signal();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Returns once an entry has arrived since the last wait, or after <paramref name="poll"/> at the latest.</summary>
    /// <returns>Whether an arrival ended the wait (false: the poll interval passed).</returns>
    public Task<bool> WaitAsync(TimeSpan poll, CancellationToken cancellationToken) => _arrived.WaitAsync(poll, cancellationToken);

    public void Dispose()
    {
        _watcher.Dispose();
        _arrived.Dispose();
    }

    private void Signal()
    {
        // Under load nearly every event finds a wake-up already pending: check before releasing,
        // so that case costs a read, not an exception (two events racing here may still meet one).
        if (_arrived.CurrentCount > 0)
        {
            return;
        }
        try
        {
            _arrived.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another event released it first.
        }
        catch (ObjectDisposedException)
        {
            // An event raced the worker's shutdown.
        }
    }
}
