namespace Stricture.Storage.BlastRadius;

/// <summary>
/// The blast radius of a change, as upstream's automation spec classifies drift
/// (docs/LINEAGE-AUTOMATION-SPEC.md, "Classify drift impact scope"), ranked so a run's scope is its
/// widest change's.
/// </summary>
public static class ImpactScope
{
    /// <summary>Another service's latest export consumes the impacted system (and field, where its source names one).</summary>
    public const string Downstream = "downstream";

    /// <summary>The impacted system is published by a known service and nothing else known consumes it.</summary>
    public const string SelfOnly = "self_only";

    /// <summary>The impacted system is external, or published by no known service, or the change names none.</summary>
    public const string Unknown = "unknown";

    /// <summary>A run whose diff has no changes.</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<string> Known = [Downstream, SelfOnly, Unknown];

    /// <summary>downstream 3, unknown 2 (it may reach anyone), self_only 1, none 0.</summary>
    public static int Rank(string scope) => scope switch
    {
        Downstream => 3,
        Unknown => 2,
        SelfOnly => 1,
        _ => 0,
    };
}
