using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stricture.Storage.S3;

namespace Stricture.Storage.Configuration;

public static class StorageOptionsRegistration
{
    /// <summary>Binds the storage settings and the S3 driver's, checked before the host starts.</summary>
    public static IServiceCollection AddStorageOptions(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindSettings();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<S3StoreSettings>().BindSettings();
        services.AddSingleton<IPostConfigureOptions<S3StoreSettings>, S3StoreSettingsSetup>();
        services.AddSingleton<IValidateOptions<S3StoreSettings>, S3StoreSettingsRanges>();
        services.AddSingleton<IValidateOptions<S3StoreSettings>, S3StoreSettingsValidator>();
        return services;
    }
}
