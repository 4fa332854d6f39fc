namespace Stricture.Storage.Identity;

/// <summary>
/// The one commit-SHA rule: 7 to 64 lowercase hexadecimal characters, a full SHA-1 or SHA-256 or
/// an abbreviation of one. A post's commit_sha and a query's commit prefix both follow it.
/// </summary>
public static class CommitSha
{
    public const int MinLength = 7;

    public const int MaxLength = 64;

    public static bool IsValid(string value) =>
        value.Length is >= MinLength and <= MaxLength && value.All(char.IsAsciiHexDigitLower);
}
