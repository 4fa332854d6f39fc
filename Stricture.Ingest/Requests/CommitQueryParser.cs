using Stricture.Ingest.Problems;
using Stricture.Storage.Commits;
using Stricture.Storage.Discovery;
using Stricture.Storage.Identity;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads GET /v1/commits/{sha}: the SHA or its abbreviation (4 to 64 hexadecimal characters, any
/// case, looked up lower case) and the query string (organization, required; project, limit, cursor).
/// As for every listing, an unknown or repeated parameter is a 400.
/// </summary>
internal static class CommitQueryParser
{
    private static readonly string[] Known = ["organization", "project", "limit", "cursor"];

    public static (string? Organization, CommitQuery? Query, RequestProblem? Problem) Parse(string sha, IQueryCollection parameters)
    {
        foreach (var (name, values) in parameters)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                return Fail("unknown-parameter", $"'{name}' is not a query parameter here; use {string.Join(", ", Known)}.", name);
            }
            if (values.Count != 1)
            {
                return Fail("invalid-parameter", $"'{name}' is given {values.Count} times; give it once.", name);
            }
        }
        if (!CommitSha.TryNormalize(sha, out var prefix))
        {
            return Fail("invalid-commit", $"The commit must be {CommitSha.Description}, not '{sha}'.", "sha");
        }
        if (QueryParameters.Value(parameters, "organization") is not { } organization)
        {
            return Fail("missing-parameter", "'organization' is required: the organization whose runs to search, as in ?organization=acme.", "organization");
        }
        foreach (var (name, value) in new[] { ("organization", (string?)organization), ("project", QueryParameters.Value(parameters, "project")) })
        {
            if (value is not null && IdentifierGrammar.Explain(name, value) is { } why)
            {
                return Fail("invalid-identifier", why, name);
            }
        }
        var limit = CommitQuery.DefaultLimit;
        if (QueryParameters.ParseLimit(parameters, CommitQuery.MaxLimit, ref limit) is { } badLimit)
        {
            return (null, null, badLimit);
        }
        DriftCursor? cursor = null;
        if (QueryParameters.Value(parameters, "cursor") is { } cursorText && !DriftCursor.TryDecode(cursorText, out cursor))
        {
            return Fail("invalid-cursor", "'cursor' is not a cursor this server returned; pass next_cursor from the previous page unchanged.", "cursor");
        }
        return (organization, new CommitQuery(prefix, QueryParameters.Value(parameters, "project"), limit, cursor), null);
    }

    private static (string?, CommitQuery?, RequestProblem?) Fail(string code, string detail, string field) =>
        (null, null, RequestProblem.BadRequest(code, detail, field));
}
