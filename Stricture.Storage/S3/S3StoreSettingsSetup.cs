using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Storage.S3;

/// <summary>
/// Completes the bound S3 settings from the others: the flavor from the driver (r2, or mirror to an
/// R2 account), endpoint and keys from the Aspire connection string unless set explicitly, and the
/// R2 endpoint from the account id.
/// </summary>
internal sealed class S3StoreSettingsSetup(IOptions<StorageOptions> storage) : IPostConfigureOptions<S3StoreSettings>
{
    public void PostConfigure(string? name, S3StoreSettings settings)
    {
        var driver = storage.Value.Driver;
        if (driver == StorageOptions.R2Driver || (driver == StorageOptions.MirrorDriver && settings.R2AccountId is not null))
        {
            settings.Flavor = S3Flavor.R2;
        }
        if (settings.ConnectionString is { } text && S3ConnectionString.TryParse(text, out var parsed, out _) && parsed is { } connection)
        {
            settings.Endpoint ??= connection.Endpoint;
            settings.AccessKey ??= connection.AccessKey;
            settings.SecretKey ??= connection.SecretKey;
        }
        if (settings.R2AccountId is { } account)
        {
            settings.Endpoint ??= S3StoreSettings.R2Endpoint(account);
        }
    }
}
