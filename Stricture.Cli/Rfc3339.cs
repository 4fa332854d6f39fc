using System.Globalization;
using System.Text.RegularExpressions;

namespace Stricture.Cli;

/// <summary>The timestamps the server accepts for generated_at: an RFC 3339 date-time with Z or a ±hh:mm offset.</summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool IsValid(string value) =>
        Shape().IsMatch(value) &&
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
