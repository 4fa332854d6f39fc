using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Ui;

/// <summary>
/// Whether the runs browser (/ui/) is served. Unset: on for a listening server, off for a function
/// (an instance answers one invocation at a time behind an API gateway: pages there would cost cold
/// starts and expose a second surface that nobody browses).
/// </summary>
public sealed class UiOptions
{
    public const string UiSetting = "STRICTURE_SERVER_UI";
    public const string KeysDirectorySetting = "STRICTURE_SERVER_UI_KEYS_DIR";

    /// <summary><c>on</c> or <c>off</c>; null means the mode's default (<see cref="Enabled"/>).</summary>
    [ConfigurationKeyName(UiSetting)]
    public string? Mode { get; set; }

    /// <summary>
    /// Where ASP.NET Data Protection keeps the key that protects the session cookie. Unset: a key in
    /// memory, so a restart (or another replica) signs readers out and they enter their token again.
    /// </summary>
    [ConfigurationKeyName(KeysDirectorySetting)]
    public string? KeysDirectory { get; set; }

    /// <summary>Set from the host's mode at registration, not from configuration.</summary>
    internal bool FunctionMode { get; set; }

    public bool Enabled => Mode is null ? !FunctionMode : OnOffSetting.IsOn(Mode);
}

/// <summary>STRICTURE_SERVER_UI accepts on or off only: a typo must not silently publish or hide the pages.</summary>
internal sealed class UiOptionsValidator : IValidateOptions<UiOptions>
{
    public ValidateOptionsResult Validate(string? name, UiOptions options) =>
        OnOffSetting.Validate(UiOptions.UiSetting, options.Mode, "to serve the runs browser under /ui/", "to turn it off");
}
