using Microsoft.AspNetCore.Mvc;

namespace Stricture.Function.Lambda;

/// <summary>
/// The one shape of every problem body (RFC 9457) this server sends, whoever sends it (an endpoint,
/// the authentication handler, the Lambda adapter): <c>type</c> is <c>urn:stricture:problem:&lt;code&gt;</c>,
/// then title, status and detail, then <c>code</c> and any extensions. HTTP answers write it with
/// ASP.NET Core's problem-details service; the Lambda adapter serializes it into its response.
/// It lives with the adapter, the lowest project that sends problems, so the application and the
/// cold-start baseline (bench/Stricture.BareFunction, which has none of the application) share it.
/// </summary>
public static class ProblemDocument
{
    public const string TypePrefix = "urn:stricture:problem:";

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
}
