using System.Buffers;

namespace Stricture.Storage.Identity;

/// <summary>
/// The one grammar for organization, project, service and run_id. Identifiers become key and
/// path segments, so anything outside it is rejected, never renamed: lowercase ASCII letters,
/// digits, '.', '_' and '-'; 1 to <see cref="MaxLength"/> characters; no leading '.', '_' or '-'
/// (so no ".." and no hidden files).
/// </summary>
public static class IdentifierGrammar
{
    public const int MaxLength = 128;

    /// <summary>Not a run id: the read API's path for a service's newest run ends in it.</summary>
    public const string ReservedRunId = "latest";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <returns>null when <paramref name="value"/> is valid, else why it is not.</returns>
    public static string? Explain(string field, string value)
    {
        if (value.Length == 0)
        {
            return $"'{field}' must not be empty.";
        }
        if (value.Length > MaxLength)
        {
            return $"'{field}' is {value.Length} characters long; the maximum is {MaxLength}.";
        }
        if (!char.IsAsciiLetterLower(value[0]) && !char.IsAsciiDigit(value[0]))
        {
            return $"'{field}' must start with a lowercase letter or a digit.";
        }
        var bad = value.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            return $"'{field}' may contain only lowercase letters, digits, '.', '_' and '-'; " +
                   $"character {bad + 1} is not allowed.";
        }
        return null;
    }
}
