using System.Buffers.Text;
using System.Text;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Time;

namespace Stricture.Storage.Queries;

/// <summary>
/// Where a page of runs ended: the last run returned, as its position in <see cref="RunOrder"/>.
/// The next page holds the runs strictly older than it, so runs stored between two page requests
/// neither repeat nor shift later pages. On the wire it is opaque (base64url).
/// </summary>
public sealed record RunCursor(string OccurredAt, string RunId)
{
    private const char Separator = '|';

    /// <summary>The date partition the cursor's run is in (the UTC date of when it occurred).</summary>
    public DateOnly Day => DateOnly.ParseExact(OccurredAt.AsSpan(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static RunCursor After(ManifestEntry entry) => new(entry.OccurredAt, entry.RunId);

    /// <summary>True when <paramref name="entry"/> comes after this cursor, newest first.</summary>
    public bool IsBefore(ManifestEntry entry) => RunOrder.Compare(entry.OccurredAt, entry.RunId, OccurredAt, RunId) < 0;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{OccurredAt}{Separator}{RunId}"));

    public static bool TryDecode(string text, out RunCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = Encoding.UTF8.GetString(bytes).Split(Separator);
        // Occurred-at text is always the server's own UTC format; anything else was not made here.
        if (parts.Length != 2 || !Rfc3339.TryParse(parts[0], out var occurredAt) ||
            UtcTimestamp.Format(occurredAt) != parts[0] || IdentifierError.CheckRunId(parts[1]) is not null)
        {
            return false;
        }
        cursor = new RunCursor(parts[0], parts[1]);
        return true;
    }
}
