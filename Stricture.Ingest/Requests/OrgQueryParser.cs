using System.Globalization;
using Stricture.Ingest.Problems;
using Stricture.Storage.Discovery;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads the query strings of GET /v1/orgs/{organization}/services (project, limit, cursor) and
/// /drift (from, to, min_severity, project, limit, cursor). As for run listings, an unknown or
/// repeated parameter is a 400, so a typo never silently widens an answer.
/// </summary>
internal static class OrgQueryParser
{
    private static readonly string[] ServicesParameters = ["project", "limit", "cursor"];
    private static readonly string[] DriftParameters = ["from", "to", "min_severity", "project", "limit", "cursor"];
    private static readonly string[] Severities = [DriftSeverity.High, DriftSeverity.Medium, DriftSeverity.Low];

    public static (ServicesQuery? Query, RequestProblem? Problem) ParseServices(IQueryCollection parameters)
    {
        var problem = CheckNames(parameters, ServicesParameters);
        var project = Value(parameters, "project");
        var limit = ServicesQuery.DefaultLimit;
        problem ??= CheckProject(project) ?? ParseLimit(parameters, ServicesQuery.MaxLimit, ref limit);
        if (problem is not null)
        {
            return (null, problem);
        }
        ServiceCursor? cursor = null;
        if (Value(parameters, "cursor") is { } cursorText && !ServiceCursor.TryDecode(cursorText, out cursor))
        {
            return (null, BadCursor());
        }
        return (new ServicesQuery(project, limit, cursor), null);
    }

    public static (DriftQuery? Query, RequestProblem? Problem) ParseDrift(IQueryCollection parameters, DateOnly today)
    {
        var problem = CheckNames(parameters, DriftParameters);
        var project = Value(parameters, "project");
        var limit = DriftQuery.DefaultLimit;
        problem ??= CheckProject(project) ?? ParseLimit(parameters, DriftQuery.MaxLimit, ref limit);
        if (problem is not null)
        {
            return (null, problem);
        }
        DateOnly? from = null, to = null;
        if (Value(parameters, "from") is { } fromText && !TryParseDate(fromText, out from))
        {
            return Fail("invalid-date", $"'from' must be a date as YYYY-MM-DD, not '{fromText}'.", "from");
        }
        if (Value(parameters, "to") is { } toText && !TryParseDate(toText, out to))
        {
            return Fail("invalid-date", $"'to' must be a date as YYYY-MM-DD, not '{toText}'.", "to");
        }
        var lastDay = to ?? (from is { } start ? start.AddDays(DriftQuery.DefaultDays - 1) : today);
        var firstDay = from ?? lastDay.AddDays(1 - DriftQuery.DefaultDays);
        if (firstDay > lastDay)
        {
            return Fail("invalid-range", $"'from' ({RecordKeys.FormatDate(firstDay)}) is after 'to' ({RecordKeys.FormatDate(lastDay)}).", "from");
        }
        var days = lastDay.DayNumber - firstDay.DayNumber + 1;
        if (days > DriftQuery.MaxDays)
        {
            return Fail("range-too-long",
                $"The range {RecordKeys.FormatDate(firstDay)} to {RecordKeys.FormatDate(lastDay)} spans {days} days; " +
                $"the maximum is {DriftQuery.MaxDays}. Query a shorter range.", "to");
        }
        var severity = Value(parameters, "min_severity") ?? DriftSeverity.Low;
        if (!Severities.Contains(severity, StringComparer.Ordinal))
        {
            return Fail("invalid-severity", $"'min_severity' must be high, medium or low, not '{severity}'.", "min_severity");
        }
        DriftCursor? cursor = null;
        if (Value(parameters, "cursor") is { } cursorText && !DriftCursor.TryDecode(cursorText, out cursor))
        {
            return (null, BadCursor());
        }
        return (new DriftQuery(firstDay, lastDay, severity, project, limit, cursor), null);
    }

    private static RequestProblem? CheckNames(IQueryCollection parameters, string[] known)
    {
        foreach (var (name, values) in parameters)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                return RequestProblem.BadRequest("unknown-parameter", $"'{name}' is not a query parameter here; use {string.Join(", ", known)}.", name);
            }
            if (values.Count != 1)
            {
                return RequestProblem.BadRequest("invalid-parameter", $"'{name}' is given {values.Count} times; give it once.", name);
            }
        }
        return null;
    }

    private static RequestProblem? CheckProject(string? project) =>
        project is not null && IdentifierGrammar.Explain("project", project) is { } why
            ? RequestProblem.BadRequest("invalid-identifier", why, "project")
            : null;

    private static RequestProblem? ParseLimit(IQueryCollection parameters, int maxLimit, ref int limit)
    {
        if (Value(parameters, "limit") is not { } limitText)
        {
            return null;
        }
        return int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= maxLimit
            ? null
            : RequestProblem.BadRequest("invalid-limit", $"'limit' must be a whole number from 1 to {maxLimit}, not '{limitText}'.", "limit");
    }

    private static RequestProblem BadCursor() =>
        RequestProblem.BadRequest("invalid-cursor", "'cursor' is not a cursor this server returned; pass next_cursor from the previous page unchanged.", "cursor");

    private static string? Value(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) ? values[0] : null;

    private static bool TryParseDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }

    private static (DriftQuery?, RequestProblem?) Fail(string code, string detail, string field) =>
        (null, RequestProblem.BadRequest(code, detail, field));
}
