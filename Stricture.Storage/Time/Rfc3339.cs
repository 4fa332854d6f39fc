using System.Globalization;
using System.Text.RegularExpressions;

namespace Stricture.Storage.Time;

/// <summary>
/// Strict RFC 3339 date-time (section 5.6): <c>2026-11-22T09:30:00Z</c>, <c>2026-11-22T09:30:00.123+01:00</c>.
/// A time zone is required; fractions beyond 100 ns are truncated; a leap second (:60) is rejected
/// because .NET cannot represent it.
/// </summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        int Group(int index) => int.Parse(match.Groups[index].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        try
        {
            var fraction = match.Groups[7].Success ? match.Groups[7].Value.PadRight(7, '0')[..7] : "0";
            var offset = TimeSpan.Zero;
            if (!match.Groups[8].Success)
            {
                int hours = Group(10), minutes = Group(11);
                if (hours > 23 || minutes > 59)
                {
                    return false;
                }
                offset = new TimeSpan(hours, minutes, 0) * (match.Groups[9].Value == "-" ? -1 : 1);
            }
            var dateTime = new DateTime(Group(1), Group(2), Group(3), Group(4), Group(5), Group(6), DateTimeKind.Unspecified)
                .AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
            value = new DateTimeOffset(dateTime, offset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
