using System.Globalization;
using Stricture.Ingest.Problems;
using Stricture.Storage.Keys;

namespace Stricture.Ingest.Requests;

/// <summary>The query-string rules the read endpoints share: one value per name, a bounded limit, a date range.</summary>
internal static class QueryParameters
{
    public static string? Value(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) ? values[0] : null;

    /// <summary>Reads <c>limit</c> into <paramref name="limit"/> (left as given when absent); a problem when it is not 1 to <paramref name="maxLimit"/>.</summary>
    public static RequestProblem? ParseLimit(IQueryCollection parameters, int maxLimit, ref int limit)
    {
        if (Value(parameters, "limit") is not { } limitText)
        {
            return null;
        }
        return int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= maxLimit
            ? null
            : RequestProblem.BadRequest("invalid-limit", $"'limit' must be a whole number from 1 to {maxLimit}, not '{limitText}'.", "limit");
    }

    /// <summary>
    /// Reads <c>from</c> and <c>to</c> (UTC dates, both ends included). Missing ends default to the
    /// last <paramref name="defaultDays"/> days (<paramref name="today"/> included), or that many days
    /// from or up to the end that is given; a range past <paramref name="maxDays"/> is refused.
    /// </summary>
    public static RequestProblem? ParseDateRange(
        IQueryCollection parameters, DateOnly today, int defaultDays, int maxDays, out DateOnly firstDay, out DateOnly lastDay)
    {
        firstDay = lastDay = default;
        DateOnly? from = null, to = null;
        if (Value(parameters, "from") is { } fromText && !TryParseDate(fromText, out from))
        {
            return RequestProblem.BadRequest("invalid-date", $"'from' must be a date as YYYY-MM-DD, not '{fromText}'.", "from");
        }
        if (Value(parameters, "to") is { } toText && !TryParseDate(toText, out to))
        {
            return RequestProblem.BadRequest("invalid-date", $"'to' must be a date as YYYY-MM-DD, not '{toText}'.", "to");
        }
        lastDay = to ?? (from is { } start ? start.AddDays(defaultDays - 1) : today);
        firstDay = from ?? lastDay.AddDays(1 - defaultDays);
        if (firstDay > lastDay)
        {
            return RequestProblem.BadRequest("invalid-range", $"'from' ({RecordKeys.FormatDate(firstDay)}) is after 'to' ({RecordKeys.FormatDate(lastDay)}).", "from");
        }
        var days = lastDay.DayNumber - firstDay.DayNumber + 1;
        return days > maxDays
            ? RequestProblem.BadRequest("range-too-long",
                $"The range {RecordKeys.FormatDate(firstDay)} to {RecordKeys.FormatDate(lastDay)} spans {days} days; " +
                $"the maximum is {maxDays}. Query a shorter range.", "to")
            : null;
    }

    private static bool TryParseDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }
}
