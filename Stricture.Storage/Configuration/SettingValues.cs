using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Stricture.Storage.Configuration;

/// <summary>
/// How every Stricture service reads a STRICTURE_* setting: empty means unset, surrounding spaces
/// are ignored, and a value that cannot be parsed stops start-up with a message naming the setting.
/// </summary>
public static class SettingValues
{
    /// <summary>The trimmed value, or null when the setting is absent or empty.</summary>
    public static string? Text(this IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>true/false (any case) or 1/0; false when unset.</summary>
    public static bool Flag<TOptions>(this IConfiguration configuration, string key) => configuration.Text(key) switch
    {
        null => false,
        var text when bool.TryParse(text, out var value) => value,
        "1" => true,
        "0" => false,
        var text => throw Invalid<TOptions>($"{key} must be 'true' or 'false', not '{text}'."),
    };

    public static int WholeNumber<TOptions>(string key, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid<TOptions>($"{key} must be a whole number from {min} to {max}, not '{text}'.");

    public static OptionsValidationException Invalid<TOptions>(string message) => new(Options.DefaultName, typeof(TOptions), [message]);
}
