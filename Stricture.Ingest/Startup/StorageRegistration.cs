using Microsoft.Extensions.Options;
using Polly;
using Stricture.Ingest.Health;
using Stricture.Storage.Catalog;
using Stricture.Storage.Commits;
using Stricture.Storage.Configuration;
using Stricture.Storage.Discovery;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Queries;
using Stricture.Storage.Records;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Ingest.Startup;

/// <summary>
/// Chooses the storage driver from STRICTURE_SERVER_STORAGE_DRIVER and registers the record store on
/// it. Mirror mode writes through the filesystem driver and spools every accepted run for
/// Stricture.Replicator; ingest itself never talks to the object store then.
/// </summary>
internal static class StorageRegistration
{
    /// <summary>
    /// The record store on the configured driver. <paramref name="startupWork"/>: what a starting server
    /// does besides, namely take the data directory's lock or check the bucket (StorageStartup), then
    /// reconcile the catalog in the background. A function does none of it: it holds no directory, and
    /// its object store is first reached by the first request that needs it, so a cold start stays short.
    /// </summary>
    public static IServiceCollection AddRecordStore(this IServiceCollection services, bool startupWork = true)
    {
        services.AddObjectStores();
        services.AddSingleton<RunCatalog>();
        services.AddSingleton(sp => new RecordStore(
            sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<RecordKeys>(), sp.GetRequiredService<RunCatalog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StorageTelemetry>(), sp.GetRequiredService<ILogger<RecordStore>>(),
            Options(sp).Driver == StorageOptions.MirrorDriver ? sp.GetRequiredService<ReplicationSpool>() : null,
            sp.GetService<IAcceptedRunHook>(), sp.GetService<IRunAssessor>()));
        services.AddSingleton<RunQueries>();
        services.AddSingleton<OrgQueries>();
        services.AddSingleton<CommitQueries>();
        services.AddSingleton<CatalogReconciler>();

        services.AddSingleton<IObjectStore>(sp => Options(sp).UsesObjectStore
            ? sp.GetRequiredService<S3ObjectStore>()
            : sp.GetRequiredService<FileSystemObjectStore>());

        if (startupWork)
        {
            services.AddHostedService<StorageStartup>();
            services.AddHostedService<ReconcileAtStartup>();
            services.AddResiliencePipeline<string>(ReconcileAtStartup.RetryPipeline, ReconcileAtStartup.ConfigureRetry);
        }
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
