using Microsoft.Extensions.Options;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Configuration;

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    // S3's bucket naming rules (R2's are a subset): 3-63 lowercase letters, digits, '.' and '-'.
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial System.Text.RegularExpressions.Regex BucketName();

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!StorageOptions.Drivers.Contains(options.Driver))
        {
            failures.Add($"{SettingNames.StorageDriver} must be one of {string.Join(", ", StorageOptions.Drivers.Select(d => $"'{d}'"))}, not '{options.Driver}'.");
        }
        if (options.ObjectPrefix.Trim('/') is { Length: > 0 } prefix && !ObjectKeyRules.IsValid(prefix))
        {
            failures.Add($"{SettingNames.ObjectPrefix} must be '/'-separated segments of letters, digits, '.', '_', '-' and '=', not '{options.ObjectPrefix}'.");
        }
        if (options.UsesObjectStore)
        {
            if (options.ObjectBucket is null)
            {
                failures.Add($"{SettingNames.StorageDriver}={options.Driver} needs {SettingNames.ObjectBucket}: the name of an existing bucket.");
            }
            else if (!BucketName().IsMatch(options.ObjectBucket))
            {
                failures.Add($"{SettingNames.ObjectBucket} '{options.ObjectBucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-').");
            }
        }
        if (options.Driver == StorageOptions.R2Driver && options.R2AccountId is null && options.ObjectEndpoint is null)
        {
            failures.Add($"{SettingNames.StorageDriver}=r2 needs {SettingNames.R2AccountId} (the Cloudflare account id; the endpoint is derived from it).");
        }
        if (options.R2AccountId is { } account && !System.Text.RegularExpressions.Regex.IsMatch(account, "^[a-f0-9]{32}$"))
        {
            failures.Add($"{SettingNames.R2AccountId} must be the 32-character hexadecimal Cloudflare account id.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.MaxBodyBytes > 1L << 30
            ? ValidateOptionsResult.Fail($"{SettingNames.MaxBodyBytes} is {options.MaxBodyBytes}; the largest supported body is 1 GiB.")
            : ValidateOptionsResult.Success;
}
