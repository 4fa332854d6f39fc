namespace Stricture.Storage.Drift;

/// <summary>
/// The severities of a lineage-diff change, as upstream's lineage tool defines them
/// (brennhill/stricture, internal/lineage/diff.go), ranked so that "at or above" is one comparison.
/// </summary>
public static class DriftSeverity
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";
    public const string Info = "info";

    /// <summary>The known severities, highest first.</summary>
    public static readonly IReadOnlyList<string> Known = [High, Medium, Low, Info];

    /// <summary>4 for high down to 1 for info; 0 for a severity upstream does not define.</summary>
    public static int Rank(string? severity) => severity switch
    {
        High => 4,
        Medium => 3,
        Low => 2,
        Info => 1,
        _ => 0,
    };

    public static bool IsKnown(string? severity) => Rank(severity) > 0;
}
