using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stricture.Storage.S3;

namespace Stricture.Storage.Configuration;

public static class StorageOptionsRegistration
{
    /// <summary>Binds and validates (at start-up) the STRICTURE_SERVER_* storage settings.</summary>
    public static IServiceCollection AddStrictureStorageOptions(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureOptions<StorageOptions>, StorageOptionsBinder>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<StorageOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>The S3 driver's settings. R2 is the flavor for the r2 driver, and for mirror mode when an R2 account is given.</summary>
    public static S3StoreSettings ToS3Settings(this StorageOptions options) => new()
    {
        Bucket = options.ObjectBucket!,
        Flavor = options.Driver == StorageOptions.R2Driver || (options.Driver == StorageOptions.MirrorDriver && options.R2AccountId is not null)
            ? S3Flavor.R2
            : S3Flavor.S3,
        Endpoint = options.ObjectEndpoint ?? (options.R2AccountId is { } account ? S3StoreSettings.R2Endpoint(account) : null),
        Region = options.ObjectRegion,
        ForcePathStyle = options.ObjectPathStyle,
        AccessKey = options.ObjectAccessKey,
        SecretKey = options.ObjectSecretKey,
        RequestTimeout = options.ObjectRequestTimeout,
        MaxRetries = options.ObjectMaxRetries,
    };
}
