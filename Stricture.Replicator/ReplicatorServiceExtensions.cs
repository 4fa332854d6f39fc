using Microsoft.Extensions.Options;
using Polly;
using Stricture.Storage.Catalog;
using Stricture.Storage.Configuration;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Replicator;

/// <summary>
/// The replicator's services. It reads the ingest server's storage settings (STRICTURE_SERVER_*):
/// the data directory it shares with ingest, and the object store to copy to.
/// </summary>
public static class ReplicatorServiceExtensions
{
    public static WebApplicationBuilder AddReplicatorServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(ReplicatorOptions.DefaultUrl);
        }
        services.AddSingleton(TimeProvider.System);
        services.AddReplication();
        services.AddOptions<ReplicatorOptions>().BindSettings();
        services.AddSingleton<IValidateOptions<ReplicatorOptions>, ReplicatorOptionsRanges>();
        services.AddSingleton<IValidateOptions<StorageOptions>, MirrorDriverRequired>();
        services.AddResiliencePipeline<string>(ReplicatorWorker.RetryPipeline, ReplicatorWorker.ConfigureRetry);
        services.AddHostedService<ReplicatorWorker>();
        services.AddHealthChecks().AddCheck<ReplicationHealthCheck>("replication");
        return builder;
    }

    /// <summary>The stores and replication services on the shared storage settings; the verify command uses them too.</summary>
    internal static IServiceCollection AddReplication(this IServiceCollection services)
    {
        services.AddStorageOptions();
        services.AddObjectStores();
        services.AddSingleton<ReplicationTelemetry>();
        services.AddSingleton(sp => new RecordReplicator(
            sp.GetRequiredService<FileSystemObjectStore>(), sp.GetRequiredService<S3ObjectStore>(),
            new RunCatalog(sp.GetRequiredService<S3ObjectStore>(), sp.GetRequiredService<RecordKeys>(), sp.GetRequiredService<StorageTelemetry>(),
                sp.GetRequiredService<ILogger<RunCatalog>>()),
            sp.GetRequiredService<RecordKeys>(), sp.GetRequiredService<ReplicationSpool>(), sp.GetRequiredService<ReplicationTelemetry>(),
            sp.GetRequiredService<ILogger<RecordReplicator>>()));
        services.AddSingleton(sp => new MirrorVerifier(
            sp.GetRequiredService<FileSystemObjectStore>(), sp.GetRequiredService<S3ObjectStore>(), sp.GetRequiredService<RecordKeys>()));
        return services;
    }

    /// <summary>The replicator has nothing to do unless ingest spools: refuse any other driver, saying so.</summary>
    private sealed class MirrorDriverRequired : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
            options.Driver == StorageOptions.MirrorDriver
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"The replicator copies mirror mode's spool, but {StorageOptions.DriverSetting} is '{options.Driver}'. " +
                    $"Set {StorageOptions.DriverSetting}=mirror (with the object-store settings) for both ingest and the replicator.");
    }
}
