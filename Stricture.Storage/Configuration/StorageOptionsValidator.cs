using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Configuration;

/// <summary>Start-up rules for the storage settings, each failing with what to set instead.</summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    // S3's bucket naming rules (R2's are a subset): 3-63 lowercase letters, digits, '.' and '-'.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-f0-9]{32}$")]
    private static partial Regex R2AccountId();

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!StorageOptions.Drivers.Contains(options.Driver))
        {
            failures.Add($"{StorageSettingNames.StorageDriver} must be one of {string.Join(", ", StorageOptions.Drivers.Select(d => $"'{d}'"))}, not '{options.Driver}'.");
        }
        if (options.ObjectPrefix.Trim('/') is { Length: > 0 } prefix && !ObjectKeyRules.IsValid(prefix))
        {
            failures.Add($"{StorageSettingNames.ObjectPrefix} must be '/'-separated segments of letters, digits, '.', '_', '-' and '=', not '{options.ObjectPrefix}'.");
        }
        if (options.NeedsObjectStore)
        {
            if (options.ObjectBucket is null)
            {
                failures.Add($"{StorageSettingNames.StorageDriver}={options.Driver} needs {StorageSettingNames.ObjectBucket}: the name of an existing bucket.");
            }
            else if (!BucketName().IsMatch(options.ObjectBucket))
            {
                failures.Add($"{StorageSettingNames.ObjectBucket} '{options.ObjectBucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-').");
            }
        }
        if (options.Driver == StorageOptions.R2Driver && options.R2AccountId is null && options.ObjectEndpoint is null)
        {
            failures.Add($"{StorageSettingNames.StorageDriver}=r2 needs {StorageSettingNames.R2AccountId} (the Cloudflare account id; the endpoint is derived from it).");
        }
        if (options.R2AccountId is { } account && !R2AccountId().IsMatch(account))
        {
            failures.Add($"{StorageSettingNames.R2AccountId} must be the 32-character hexadecimal Cloudflare account id.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
