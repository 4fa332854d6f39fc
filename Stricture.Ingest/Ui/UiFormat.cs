using System.Globalization;

namespace Stricture.Ingest.Ui;

/// <summary>How pages write times, commits and numbers: the same everywhere, whatever the server's culture.</summary>
public static class UiFormat
{
    /// <summary>A stored RFC 3339 UTC timestamp as "2026-11-22 09:00:00 UTC"; "—" for none.</summary>
    public static string Time(string? timestamp) =>
        timestamp is null ? "—"
        : DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : timestamp;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The first 12 characters of a commit, as people quote them; the page keeps the whole SHA in a title.</summary>
    public static string ShortCommit(string? sha) => sha is null ? "—" : sha.Length > 12 ? sha[..12] : sha;

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(parameter => !string.IsNullOrEmpty(parameter.Value)).ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present.Select(parameter => $"{parameter.Name}={Uri.EscapeDataString(parameter.Value!)}"));
    }
}

/// <summary>What every page's frame needs to know of the request: whether a session can be signed out.</summary>
public sealed record UiChrome(bool SignedIn);
