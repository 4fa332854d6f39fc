using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;

namespace Stricture.Ingest.Startup;

/// <summary>
/// Storage work before the server listens. Filesystem (and mirror): take the data directory's lock
/// (one writer process per directory), restore from the commit log whatever a crash of the
/// predecessor lost, and remove the temp files it left (in the spool too). Object store: prove the bucket exists and the credentials work, or refuse
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
        var recovered = fileSystem.Recover();
        if (options.Value.Driver == StorageOptions.MirrorDriver)
        {
            var spool = services.GetRequiredService<ReplicationSpool>().Recover();
            recovered = new(recovered.RestoredFromLog + spool.RestoredFromLog, recovered.RemovedStagingFiles + spool.RemovedStagingFiles);
        }
        LogDataDirectory(logger, fileSystem.DataDirectory, recovered.RestoredFromLog, recovered.RemovedStagingFiles);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Storing records under {DataDirectory}; restored {Restored} files from the commit log, removed {Removed} leftover staging files")]
    private static partial void LogDataDirectory(ILogger logger, string dataDirectory, int restored, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing records with the {Driver} driver in bucket {Bucket}")]
    private static partial void LogObjectStore(ILogger logger, string driver, string bucket);
}
