using System.Globalization;

namespace Stricture.Storage.Time;

/// <summary>The server's timestamp text: RFC 3339 in UTC with a fixed 7-digit fraction, so timestamps sort as text.</summary>
public static class UtcTimestamp
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
