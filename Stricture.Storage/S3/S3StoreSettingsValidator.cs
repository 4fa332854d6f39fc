using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Storage.S3;

/// <summary>The ranges declared on <see cref="S3StoreSettings"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class S3StoreSettingsRanges : IValidateOptions<S3StoreSettings>;

/// <summary>Start-up rules for the object-store settings that depend on the driver, each failing with what to set instead.</summary>
internal sealed partial class S3StoreSettingsValidator(IOptions<StorageOptions> storage) : IValidateOptions<S3StoreSettings>
{
    // S3's bucket naming rules (R2's are a subset): 3-63 lowercase letters, digits, '.' and '-'.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-f0-9]{32}$")]
    private static partial Regex R2AccountId();

    public ValidateOptionsResult Validate(string? name, S3StoreSettings settings)
    {
        var failures = new List<string>();
        var driver = storage.Value.Driver;
        if (settings.ConnectionString is { } text && !S3ConnectionString.TryParse(text, out _, out var why))
        {
            failures.Add($"ConnectionStrings__minio cannot be used: {why}.");
        }
        if (settings.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            failures.Add($"{S3StoreSettings.EndpointSetting} must be an http or https URL, such as https://minio.example.com:9000; got '{endpoint.OriginalString}'.");
        }
        if (storage.Value.NeedsObjectStore)
        {
            if (settings.Bucket.Length == 0)
            {
                failures.Add($"{StorageOptions.DriverSetting}={driver} needs {S3StoreSettings.BucketSetting}: the name of an existing bucket.");
            }
            else if (!BucketName().IsMatch(settings.Bucket))
            {
                failures.Add($"{S3StoreSettings.BucketSetting} '{settings.Bucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-').");
            }
        }
        if (driver == StorageOptions.R2Driver && settings.R2AccountId is null && settings.Endpoint is null)
        {
            failures.Add($"{StorageOptions.DriverSetting}=r2 needs {S3StoreSettings.R2AccountIdSetting} (the Cloudflare account id; the endpoint is derived from it).");
        }
        if (settings.R2AccountId is { } account && !R2AccountId().IsMatch(account))
        {
            failures.Add($"{S3StoreSettings.R2AccountIdSetting} must be the 32-character hexadecimal Cloudflare account id.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
