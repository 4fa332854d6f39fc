using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Configuration;

/// <summary>The stores both services build from the shared storage settings (ingest and the replicator).</summary>
public static class StoreRegistration
{
    /// <summary>
    /// Keys, telemetry, the filesystem store on the data directory, the S3 store on the object settings
    /// and the replication spool, each made on first use. Needs the storage options and a TimeProvider.
    /// </summary>
    public static IServiceCollection AddObjectStores(this IServiceCollection services)
    {
        services.AddSingleton<StorageTelemetry>();
        services.AddSingleton(sp => new RecordKeys(Options(sp).ObjectPrefix));
        services.AddSingleton(sp => new FileSystemObjectStore(Options(sp).DataDirectory));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<S3StoreSettings>>().Value;
            return new S3ObjectStore(S3ClientFactory.Create(settings), settings, sp.GetRequiredService<ILogger<S3ObjectStore>>());
        });
        services.AddSingleton(sp => new ReplicationSpool(Options(sp).DataDirectory, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
