using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Health;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Queries;
using Stricture.Storage.Records;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Ingest.Storage;

/// <summary>Chooses the storage driver from STRICTURE_SERVER_STORAGE_DRIVER and registers the record store on it.</summary>
internal static class StorageRegistration
{
    public static IServiceCollection AddStrictureStorage(this IServiceCollection services)
    {
        services.AddSingleton<StorageTelemetry>();
        services.AddSingleton(sp => new RecordKeys(Options(sp).ObjectPrefix));
        services.AddSingleton<RunCatalog>();
        services.AddSingleton<RecordStore>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<CatalogReconciler>();

        services.AddSingleton(sp => new FileSystemObjectStore(Options(sp).DataDirectory));
        services.AddSingleton(sp =>
        {
            var settings = ToS3Settings(Options(sp));
            return new S3ObjectStore(S3ClientFactory.Create(settings), settings, sp.GetRequiredService<ILogger<S3ObjectStore>>());
        });
        services.AddSingleton<IObjectStore>(sp => Options(sp).UsesObjectStore
            ? sp.GetRequiredService<S3ObjectStore>()
            : sp.GetRequiredService<FileSystemObjectStore>());

        services.AddHostedService<StorageStartup>();
        services.AddHostedService<ReconcileAtStartup>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    public static S3StoreSettings ToS3Settings(StorageOptions options) => new()
    {
        Bucket = options.ObjectBucket!,
        Flavor = options.Driver == StorageOptions.R2Driver ? S3Flavor.R2 : S3Flavor.S3,
        Endpoint = options.ObjectEndpoint ?? (options.R2AccountId is { } account ? S3StoreSettings.R2Endpoint(account) : null),
        Region = options.ObjectRegion,
        ForcePathStyle = options.ObjectPathStyle,
        AccessKey = options.ObjectAccessKey,
        SecretKey = options.ObjectSecretKey,
        RequestTimeout = options.ObjectRequestTimeout,
        MaxRetries = options.ObjectMaxRetries,
    };

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
