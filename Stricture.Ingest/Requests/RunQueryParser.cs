using System.Diagnostics.CodeAnalysis;
using Stricture.Ingest.Problems;
using Stricture.Storage.Identity;
using Stricture.Storage.Queries;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads the query string of GET /v1/runs/{organization}/{project}/{service}: from, to (YYYY-MM-DD,
/// the days of the date partition, inclusive), commit, limit and cursor; commit without from and to
/// searches all history. Unknown or repeated
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

        if (QueryParameters.ParseDateRange(parameters, today, RunQuery.DefaultDays, RunQuery.MaxDays, out var firstDay, out var lastDay) is { } badRange)
        {
            return (null, badRange);
        }

        string? commit = null;
        if (QueryParameters.Value(parameters, "commit") is { } commitText && !CommitSha.TryNormalize(commitText, out commit))
        {
            return Fail("invalid-commit", $"'commit' must be {CommitSha.Description}, not '{commitText}'.", "commit");
        }

        var limit = RunQuery.DefaultLimit;
        if (QueryParameters.ParseLimit(parameters, RunQuery.MaxLimit, ref limit) is { } badLimit)
        {
            return (null, badLimit);
        }

        RunCursor? cursor = null;
        if (QueryParameters.Value(parameters, "cursor") is { } cursorText && !RunCursor.TryDecode(cursorText, out cursor))
        {
            return Fail("invalid-cursor", "'cursor' is not a cursor this server returned; pass next_cursor from the previous page unchanged.", "cursor");
        }

        // A commit with no dates asks what the commit produced, whenever that was.
        var allHistory = commit is not null && !parameters.ContainsKey("from") && !parameters.ContainsKey("to");
        return (new RunQuery(firstDay, lastDay, commit, limit, cursor) { AllHistory = allHistory }, null);
    }

    private static (RunQuery?, RequestProblem?) Fail(string code, string detail, string field) =>
        (null, RequestProblem.BadRequest(code, detail, field));
}
