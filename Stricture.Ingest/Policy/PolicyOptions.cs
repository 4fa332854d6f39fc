using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Policy;

/// <summary>
/// Where the organizations' gate policies are: one <c>&lt;organization&gt;.yaml</c> each
/// (docs/policy.md); and whether ingest runs the blast-radius step at all.
/// </summary>
public sealed class PolicyOptions
{
    public const string DirectorySetting = "STRICTURE_SERVER_POLICY_DIR";
    public const string BlastRadiusSetting = "STRICTURE_SERVER_BLAST_RADIUS";

    /// <summary>The policy directory; unset, every organization gets the defaults.</summary>
    [ConfigurationKeyName(DirectorySetting)]
    public string? Directory { get; set; }

    /// <summary>
    /// <c>on</c> (the default) or <c>off</c>. Off, ingest neither classifies diffs nor keeps the
    /// blast-radius index: new runs have no impact and no gate (as a run without a diff), and the
    /// index is not updated until reconcile rebuilds it (docs/policy.md).
    /// </summary>
    [ConfigurationKeyName(BlastRadiusSetting)]
    public string BlastRadius { get; set; } = OnOffSetting.On;

    public bool BlastRadiusEnabled => !OnOffSetting.IsOff(BlastRadius);
}
