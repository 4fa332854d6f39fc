using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;

namespace Stricture.Ingest.Startup;

/// <summary>
/// Storage work before the server listens. Filesystem (and mirror): take the data directory's lock
/// (one writer process per directory) and remove temp files a crashed predecessor left in staging
/// (and in the spool's). Object store: prove the bucket exists and the credentials work, or refuse
/// to start saying so. Mirror mode does not check the bucket: ingest must not depend on it.
/// </summary>
internal sealed partial class StorageStartup(IServiceProvider services, IOptions<StorageOptions> options, ILogger<StorageStartup> logger)
    : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.UsesObjectStore)
        {
            var store = services.GetRequiredService<S3ObjectStore>();
            await store.VerifyBucketAsync(cancellationToken);
            LogObjectStore(logger, options.Value.Driver, store.Bucket);
            return;
        }
        var fileSystem = services.GetRequiredService<FileSystemObjectStore>();
        _lock = DataDirectoryLock.Acquire(fileSystem.DataDirectory);
        var removed = fileSystem.RemoveLeftoverStagingFiles();
        if (options.Value.Driver == StorageOptions.MirrorDriver)
        {
            removed += services.GetRequiredService<ReplicationSpool>().RemoveLeftoverStagingFiles();
        }
        LogDataDirectory(logger, fileSystem.DataDirectory, removed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing records under {DataDirectory}; removed {Removed} leftover staging files")]
    private static partial void LogDataDirectory(ILogger logger, string dataDirectory, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing records with the {Driver} driver in bucket {Bucket}")]
    private static partial void LogObjectStore(ILogger logger, string driver, string bucket);
}
