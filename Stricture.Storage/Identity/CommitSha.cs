using System.Diagnostics.CodeAnalysis;

namespace Stricture.Storage.Identity;

/// <summary>
/// The one commit-SHA rule: 4 to 64 hexadecimal characters in either case, a full SHA-1 or SHA-256
/// or an abbreviation of one (git accepts abbreviations from 4 characters, and people paste upper
/// case). It is stored and compared in lower case. A post's commit_sha and a query's commit prefix
/// both follow it.
/// </summary>
public static class CommitSha
{
    public const int MinLength = 4;

    public const int MaxLength = 64;

    /// <summary>The rule as a client reads it, for problem details and help texts.</summary>
    public const string Description = "4 to 64 hexadecimal characters (a full or abbreviated SHA, either case)";

    /// <summary>Whether <paramref name="value"/> follows the rule; <paramref name="normalized"/> is its lower-case form, the one stored.</summary>
    public static bool TryNormalize(string value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = value.Length is >= MinLength and <= MaxLength && value.All(char.IsAsciiHexDigit)
            ? value.ToLowerInvariant()
            : null;
        return normalized is not null;
    }
}
