using Microsoft.AspNetCore.Mvc;

namespace Stricture.Function.Lambda;

/// <summary>
/// The one shape of every problem body (RFC 9457) this server sends, whoever sends it (an endpoint,
/// the authentication handler, the Lambda adapter): <c>type</c> is <c>urn:stricture:problem:&lt;code&gt;</c>,
/// then title, status and detail, then <c>code</c> and any extensions, and last <c>error</c>, the
/// one-line message (<see cref="AddErrorMember"/>). HTTP answers write it with
/// ASP.NET Core's problem-details service; the Lambda adapter serializes it into its response.
/// It lives with the adapter, the lowest project that sends problems, so the application and the
/// cold-start baseline (bench/Stricture.BareFunction, which has none of the application) share it.
/// </summary>
public static class ProblemDocument
{
    public const string TypePrefix = "urn:stricture:problem:";

    /// <summary>The member clients of the upstream Go server read: <c>{"error": "..."}</c>.</summary>
    public const string ErrorMember = "error";

    public static ProblemDetails Create(
        int status, string code, string title, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails { Type = TypePrefix + code, Title = title, Status = status, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (name, value) in extensions ?? [])
        {
            problem.Extensions[name] = value;
        }
        return problem;
    }

    /// <summary>
    /// Adds the <c>error</c> member: the detail, or the title when a problem has none (the framework's
    /// own 404 and 405). Upstream clients read only that member, so every problem carries it; the
    /// HTTP application adds it to each problem it writes (ProblemDetailsOptions.CustomizeProblemDetails),
    /// the adapter to the few it writes itself.
    /// </summary>
    public static ProblemDetails AddErrorMember(ProblemDetails problem)
    {
        problem.Extensions[ErrorMember] = problem.Detail ?? problem.Title;
        return problem;
    }
}
