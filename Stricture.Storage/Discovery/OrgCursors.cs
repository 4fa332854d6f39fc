using System.Buffers.Text;
using System.Text;
using Stricture.Storage.Identity;
using Stricture.Storage.Time;

namespace Stricture.Storage.Discovery;

/// <summary>
/// Where a page of the services listing ended: the last project and service returned. The next page
/// holds those after it in <see cref="ShardFormat.ByService"/>, so services added between two page
/// requests never shift later pages. Opaque on the wire (base64url).
/// </summary>
public sealed record ServiceCursor(string Project, string Service)
{
    public static ServiceCursor After(OrgRunEntry entry) => new(entry.Project, entry.Service);

    /// <summary>True when <paramref name="entry"/> belongs on a page after this cursor.</summary>
    public bool Precedes(OrgRunEntry entry) => ShardFormat.ByService(entry, new OrgRunEntry(Project, Service, "", "", "", null, null, null)) > 0;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Project}/{Service}"));

    public static bool TryDecode(string text, out ServiceCursor? cursor)
    {
        cursor = null;
        if (CursorText.Decode(text) is not { } decoded || decoded.Split('/') is not [var project, var service] ||
            IdentifierGrammar.Explain("project", project) is not null || IdentifierGrammar.Explain("service", service) is not null)
        {
            return false;
        }
        cursor = new ServiceCursor(project, service);
        return true;
    }
}

/// <summary>
/// Where a page of the drift feed ended: the last run returned, by when it happened, project, service
/// and run id. The next page holds the runs strictly older in <see cref="ShardFormat.ByOccurrence"/>.
/// Opaque on the wire (base64url).
/// </summary>
public sealed record DriftCursor(string OccurredAt, string Project, string Service, string RunId)
{
    private const char Separator = '|';

    /// <summary>The day of the date partition the cursor's run is in.</summary>
    public DateOnly Day => DateOnly.ParseExact(OccurredAt.AsSpan(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DriftCursor After(OrgRunEntry entry) => new(entry.OccurredAt, entry.Project, entry.Service, entry.RunId);

    /// <summary>True when <paramref name="entry"/> comes after this cursor, newest first.</summary>
    public bool Precedes(OrgRunEntry entry) =>
        ShardFormat.ByOccurrence(entry, new OrgRunEntry(Project, Service, RunId, "", OccurredAt, null, null, null)) < 0;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator, OccurredAt, Project, Service, RunId)));

    public static bool TryDecode(string text, out DriftCursor? cursor)
    {
        cursor = null;
        // Occurred-at text is always the server's own UTC format; anything else was not made here.
        if (CursorText.Decode(text) is not { } decoded || decoded.Split(Separator) is not [var occurredAt, var project, var service, var runId] ||
            !Rfc3339.TryParse(occurredAt, out var parsed) || UtcTimestamp.Format(parsed) != occurredAt ||
            IdentifierGrammar.Explain("project", project) is not null || IdentifierGrammar.Explain("service", service) is not null ||
            IdentifierGrammar.Explain("run_id", runId) is not null)
        {
            return false;
        }
        cursor = new DriftCursor(occurredAt, project, service, runId);
        return true;
    }
}

internal static class CursorText
{
    public static string? Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
