namespace Stricture.Ingest.Policy;

/// <summary>Where the organizations' gate policies are: one <c>&lt;organization&gt;.yaml</c> each (docs/policy.md).</summary>
public sealed class PolicyOptions
{
    public const string DirectorySetting = "STRICTURE_SERVER_POLICY_DIR";

    /// <summary>The policy directory; unset, every organization gets the defaults.</summary>
    [ConfigurationKeyName(DirectorySetting)]
    public string? Directory { get; set; }
}
