using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// A setting that takes <c>on</c> or <c>off</c> (any case) and nothing else: a typo must not
/// silently turn a feature on or off, so anything else refuses the start.
/// </summary>
public static class OnOffSetting
{
    public const string On = "on";
    public const string Off = "off";

    public static bool IsOn(string value) => string.Equals(value, On, StringComparison.OrdinalIgnoreCase);

    public static bool IsOff(string value) => string.Equals(value, Off, StringComparison.OrdinalIgnoreCase);

    /// <summary>Success for on, off or unset; else the failure naming the setting and what each value does.</summary>
    public static ValidateOptionsResult Validate(string setting, string? value, string whenOn, string whenOff) =>
        value is null || IsOn(value) || IsOff(value)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{setting}: '{value}' is not a setting; use '{On}' {whenOn} or '{Off}' {whenOff}.");
}
