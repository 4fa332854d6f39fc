using System.Globalization;

namespace Stricture.Cli;

/// <summary>
/// Durations as people type them in CI files: "90s", "2m", "1h", "500ms", "1m30s", or a bare number
/// of seconds.
/// </summary>
public static class Duration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.Trim().ToLowerInvariant();
        if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            duration = TimeSpan.FromSeconds(bareSeconds);
            return bareSeconds > 0;
        }
        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }
            var unit = rest[digits..].TakeWhile(char.IsAsciiLetterLower).Count();
            if (digits == 0 || unit == 0 ||
                !double.TryParse(rest[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }
            var scale = rest.Substring(digits, unit) switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.Zero,
            };
            if (scale == TimeSpan.Zero)
            {
                return false;
            }
            duration += scale * amount;
            rest = rest[(digits + unit)..];
        }
        return duration > TimeSpan.Zero;
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 1 } => $"{duration.TotalMilliseconds:0}ms",
        { TotalMinutes: < 1 } or { Seconds: not 0 } => $"{duration.TotalSeconds:0.#}s",
        { TotalHours: < 1 } or { Minutes: not 0 } => $"{duration.TotalMinutes:0}m",
        _ => $"{duration.TotalHours:0}h",
    };
}
