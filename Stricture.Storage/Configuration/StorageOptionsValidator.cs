using Microsoft.Extensions.Options;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Configuration;

/// <summary>Start-up rules for the storage settings, each failing with what to set instead.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!StorageOptions.Drivers.Contains(options.Driver))
        {
            failures.Add($"{StorageOptions.DriverSetting} must be one of {string.Join(", ", StorageOptions.Drivers.Select(d => $"'{d}'"))}, not '{options.Driver}'.");
        }
        if (options.ObjectPrefix.Trim('/') is { Length: > 0 } prefix && !ObjectKeyRules.IsValid(prefix))
        {
            failures.Add($"{StorageOptions.ObjectPrefixSetting} must be '/'-separated segments of letters, digits, '.', '_', '-' and '=', not '{options.ObjectPrefix}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
