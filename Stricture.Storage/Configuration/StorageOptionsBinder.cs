using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Stricture.Storage.S3;

namespace Stricture.Storage.Configuration;

/// <summary>
/// Binds the STRICTURE_SERVER_* storage settings onto <see cref="StorageOptions"/>. A value that
/// cannot be parsed fails start-up here, naming the setting; rules that span settings live in
/// <see cref="StorageOptionsValidator"/>.
/// </summary>
internal sealed class StorageOptionsBinder(IConfiguration configuration) : IConfigureOptions<StorageOptions>
{
    public void Configure(StorageOptions options)
    {
        options.Driver = Setting(StorageSettingNames.StorageDriver)?.ToLowerInvariant() ?? options.Driver;
        options.DataDirectory = Setting(StorageSettingNames.DataDirectory) ?? options.DataDirectory;
        options.ObjectPrefix = Setting(StorageSettingNames.ObjectPrefix) ?? options.ObjectPrefix;
        options.ObjectBucket = Setting(StorageSettingNames.ObjectBucket);
        options.ObjectRegion = Setting(StorageSettingNames.ObjectRegion);
        options.R2AccountId = Setting(StorageSettingNames.R2AccountId);

        // The Aspire connection string supplies endpoint and keys; explicit settings win over it.
        if (Setting(StorageSettingNames.MinioConnectionString) is { } connectionString)
        {
            if (!S3ConnectionString.TryParse(connectionString, out var connection, out var why))
            {
                throw Invalid($"ConnectionStrings__minio cannot be used: {why}.");
            }
            options.ObjectEndpoint = connection!.Endpoint;
            options.ObjectAccessKey = connection.AccessKey;
            options.ObjectSecretKey = connection.SecretKey;
        }
        if (Setting(StorageSettingNames.ObjectEndpoint) is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Invalid($"{StorageSettingNames.ObjectEndpoint} must be an http or https URL, such as https://minio.example.com:9000; got '{endpoint}'.");
            }
            options.ObjectEndpoint = uri;
        }
        if (Setting(StorageSettingNames.ObjectPathStyle) is not null)
        {
            options.ObjectPathStyle = Bool(StorageSettingNames.ObjectPathStyle);
        }
        if (Setting(StorageSettingNames.ObjectTimeoutSeconds) is { } timeout)
        {
            options.ObjectRequestTimeout = TimeSpan.FromSeconds(PositiveInt(StorageSettingNames.ObjectTimeoutSeconds, timeout, max: 600));
        }
        if (Setting(StorageSettingNames.ObjectMaxRetries) is { } retries)
        {
            options.ObjectMaxRetries = retries == "0" ? 0 : PositiveInt(StorageSettingNames.ObjectMaxRetries, retries, max: 10);
        }
        if (Setting(StorageSettingNames.ReconcileOnStart) is not null)
        {
            options.ReconcileOnStart = Bool(StorageSettingNames.ReconcileOnStart);
        }
    }

    private string? Setting(string key) => configuration.Text(key);

    private bool Bool(string key) => configuration.Flag<StorageOptions>(key);

    private static int PositiveInt(string key, string text, int max) => SettingValues.WholeNumber<StorageOptions>(key, text, 1, max);

    private static OptionsValidationException Invalid(string message) => SettingValues.Invalid<StorageOptions>(message);
}
