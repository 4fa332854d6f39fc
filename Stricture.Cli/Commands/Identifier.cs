namespace Stricture.Cli.Commands;

/// <summary>
/// The server's identifier grammar (docs/api.md, Identifiers), checked before any request so a typo
/// in a CI file fails at once with the rule it breaks.
/// </summary>
public static class Identifier
{
    public static string? Explain(string value)
    {
        if (value.Length is 0 or > 128)
        {
            return $"'{value}' must be 1 to 128 characters long.";
        }
        if (!char.IsAsciiLetterLower(value[0]) && !char.IsAsciiDigit(value[0]))
        {
            return $"'{value}' must start with a lowercase letter or a digit.";
        }
        var bad = value.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789._-");
        return bad >= 0
            ? $"'{value}' may contain only lowercase letters, digits, '.', '_' and '-'; character {bad + 1} is not allowed."
            : null;
    }
}
