using Stricture.Storage.Filesystem;

namespace Stricture.Ingest.Health;

/// <summary>
/// Before the server listens: take the data directory's lock (one writer process per directory)
/// and remove temp files a crashed predecessor left in staging.
/// </summary>
internal sealed partial class DataDirectoryOwnership(FileSystemObjectStore store, ILogger<DataDirectoryOwnership> logger) : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = DataDirectoryLock.Acquire(store.DataDirectory);
        var removed = store.RemoveLeftoverStagingFiles();
        LogOwned(logger, store.DataDirectory, removed);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing records under {DataDirectory}; removed {Removed} leftover staging files")]
    private static partial void LogOwned(ILogger logger, string dataDirectory, int removed);
}
