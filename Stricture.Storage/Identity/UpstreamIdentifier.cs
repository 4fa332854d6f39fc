using System.Text;

namespace Stricture.Storage.Identity;

/// <summary>
/// The upstream Go server's identifier rule (its <c>sanitizePathToken</c>): trim, lower-case ASCII
/// letters, turn each run of any other character (including '.', '_' and '-') into one '-', and trim
/// '-' from the ends; empty stays empty, which is an error. Used where a name from an upstream client
/// or an upstream data directory is taken as that server would have stored it; the result must still
/// satisfy <see cref="IdentifierGrammar"/> (its length limit above all) before it reaches a key.
/// </summary>
public static class UpstreamIdentifier
{
    public static string Normalize(string value)
    {
        var text = new StringBuilder(value.Length);
        var lastDash = false;
        foreach (var character in value.Trim())
        {
            if (char.IsAsciiLetterOrDigit(character))
            {
                text.Append(char.ToLowerInvariant(character));
                lastDash = false;
            }
            else if (!lastDash)
            {
                text.Append('-');
                lastDash = true;
            }
        }
        return text.ToString().Trim('-');
    }
}
