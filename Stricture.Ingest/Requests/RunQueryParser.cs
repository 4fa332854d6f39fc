using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stricture.Ingest.Problems;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Queries;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads the query string of GET /v1/runs/{organization}/{project}/{service}: from, to (YYYY-MM-DD,
/// the days of the date partition, inclusive), commit, limit and cursor. Unknown or repeated
/// parameters are rejected like unknown body fields, so a typo is a 400 rather than a silently
/// wider query.
/// </summary>
internal static class RunQueryParser
{
    private static readonly HashSet<string> Known = new(["from", "to", "commit", "limit", "cursor"], StringComparer.Ordinal);

    public static bool TryParse(
        IQueryCollection parameters, DateOnly today, [NotNullWhen(true)] out RunQuery? query, [NotNullWhen(false)] out RequestProblem? problem)
    {
        (query, problem) = Parse(parameters, today);
        return query is not null;
    }

    private static (RunQuery? Query, RequestProblem? Problem) Parse(IQueryCollection parameters, DateOnly today)
    {
        foreach (var (name, values) in parameters)
        {
            if (!Known.Contains(name))
            {
                return Fail("unknown-parameter", $"'{name}' is not a query parameter here; use from, to, commit, limit or cursor.", name);
            }
            if (values.Count != 1)
            {
                return Fail("invalid-parameter", $"'{name}' is given {values.Count} times; give it once.", name);
            }
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
        // Missing ends default to the last DefaultDays days (today's date in UTC included), or that
        // many days from or up to the end that is given.
        var lastDay = to ?? (from is { } start ? start.AddDays(RunQuery.DefaultDays - 1) : today);
        var firstDay = from ?? lastDay.AddDays(1 - RunQuery.DefaultDays);
        if (firstDay > lastDay)
        {
            return Fail("invalid-range", $"'from' ({RecordKeys.FormatDate(firstDay)}) is after 'to' ({RecordKeys.FormatDate(lastDay)}).", "from");
        }
        var days = lastDay.DayNumber - firstDay.DayNumber + 1;
        if (days > RunQuery.MaxDays)
        {
            return Fail("range-too-long",
                $"The range {RecordKeys.FormatDate(firstDay)} to {RecordKeys.FormatDate(lastDay)} spans {days} days; " +
                $"the maximum is {RunQuery.MaxDays}. Query a shorter range.", "to");
        }

        var commit = Value(parameters, "commit");
        if (commit is not null && !CommitSha.IsValid(commit))
        {
            return Fail("invalid-commit", $"'commit' must be 7 to 64 lowercase hexadecimal characters (a full or abbreviated SHA), not '{commit}'.", "commit");
        }

        var limit = RunQuery.DefaultLimit;
        if (Value(parameters, "limit") is { } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RunQuery.MaxLimit))
        {
            return Fail("invalid-limit", $"'limit' must be a whole number from 1 to {RunQuery.MaxLimit}, not '{limitText}'.", "limit");
        }

        RunCursor? cursor = null;
        if (Value(parameters, "cursor") is { } cursorText && !RunCursor.TryDecode(cursorText, out cursor))
        {
            return Fail("invalid-cursor", "'cursor' is not a cursor this server returned; pass next_cursor from the previous page unchanged.", "cursor");
        }

        return (new RunQuery(firstDay, lastDay, commit, limit, cursor), null);
    }

    private static string? Value(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) ? values[0] : null;

    private static bool TryParseDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }

    private static (RunQuery?, RequestProblem?) Fail(string code, string detail, string field) =>
        (null, RequestProblem.BadRequest(code, detail, field));
}
