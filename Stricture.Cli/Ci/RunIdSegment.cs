using System.Security.Cryptography;
using System.Text;

namespace Stricture.Cli.Ci;

/// <summary>
/// Turns a CI's names and numbers into run id text within the server's identifier grammar
/// (lowercase letters, digits, '.', '_', '-'; starting with a letter or digit; at most 128
/// characters). Deterministic, so the same job attempt always derives the same run id.
/// </summary>
public static class RunIdSegment
{
    public const int MaxLength = 128;

    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text.ToLowerInvariant())
        {
            var allowed = char.IsAsciiLetterLower(character) || char.IsAsciiDigit(character) || character is '.' or '_' or '-';
            builder.Append(allowed ? character : '-');
        }
        var normalized = builder.ToString().Trim('-', '.', '_');
        if (normalized.Length <= MaxLength)
        {
            return normalized;
        }
        // Too long (a deeply nested Jenkins job, say): keep the readable start and make the whole unique with a hash.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return normalized[..(MaxLength - hash.Length - 1)].TrimEnd('-', '.', '_') + "-" + hash;
    }
}
