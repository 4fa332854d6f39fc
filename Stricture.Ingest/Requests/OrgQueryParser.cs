using Stricture.Ingest.Problems;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Discovery;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads the query strings of GET /v1/orgs/{organization}/services (project, limit, cursor) and
/// /drift (from, to, min_severity, impact, project, limit, cursor). As for run listings, an unknown or
/// repeated parameter is a 400, so a typo never silently widens an answer.
/// </summary>
internal static class OrgQueryParser
{
    private static readonly string[] ServicesParameters = ["project", "limit", "cursor"];
    private static readonly string[] DriftParameters = ["from", "to", "min_severity", "impact", "project", "limit", "cursor"];
    private static readonly string[] Severities = [DriftSeverity.High, DriftSeverity.Medium, DriftSeverity.Low];

    public static (ServicesQuery? Query, RequestProblem? Problem) ParseServices(IQueryCollection parameters)
    {
        var problem = CheckNames(parameters, ServicesParameters);
        var project = QueryParameters.Value(parameters, "project");
        var limit = ServicesQuery.DefaultLimit;
        problem ??= CheckProject(project) ?? QueryParameters.ParseLimit(parameters, ServicesQuery.MaxLimit, ref limit);
        if (problem is not null)
        {
            return (null, problem);
        }
        ServiceCursor? cursor = null;
        if (QueryParameters.Value(parameters, "cursor") is { } cursorText && !ServiceCursor.TryDecode(cursorText, out cursor))
        {
            return (null, BadCursor());
        }
        return (new ServicesQuery(project, limit, cursor), null);
    }

    public static (DriftQuery? Query, RequestProblem? Problem) ParseDrift(IQueryCollection parameters, DateOnly today)
    {
        var problem = CheckNames(parameters, DriftParameters);
        var project = QueryParameters.Value(parameters, "project");
        var limit = DriftQuery.DefaultLimit;
        problem ??= CheckProject(project) ?? QueryParameters.ParseLimit(parameters, DriftQuery.MaxLimit, ref limit);
        if (problem is not null)
        {
            return (null, problem);
        }
        if (QueryParameters.ParseDateRange(parameters, today, DriftQuery.DefaultDays, DriftQuery.MaxDays, out var firstDay, out var lastDay) is { } badRange)
        {
            return (null, badRange);
        }
        var severity = QueryParameters.Value(parameters, "min_severity") ?? DriftSeverity.Low;
        if (!Severities.Contains(severity, StringComparer.Ordinal))
        {
            return Fail("invalid-severity", $"'min_severity' must be high, medium or low, not '{severity}'.", "min_severity");
        }
        var impact = QueryParameters.Value(parameters, "impact");
        if (impact is not null && !ImpactScope.Known.Contains(impact, StringComparer.Ordinal))
        {
            return Fail("invalid-impact", $"'impact' must be {string.Join(", ", ImpactScope.Known)}, not '{impact}'.", "impact");
        }
        DriftCursor? cursor = null;
        if (QueryParameters.Value(parameters, "cursor") is { } cursorText && !DriftCursor.TryDecode(cursorText, out cursor))
        {
            return (null, BadCursor());
        }
        return (new DriftQuery(firstDay, lastDay, severity, project, limit, cursor, impact), null);
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

    private static RequestProblem BadCursor() =>
        RequestProblem.BadRequest("invalid-cursor", "'cursor' is not a cursor this server returned; pass next_cursor from the previous page unchanged.", "cursor");

    private static (DriftQuery?, RequestProblem?) Fail(string code, string detail, string field) =>
        (null, RequestProblem.BadRequest(code, detail, field));
}
