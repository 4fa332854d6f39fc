using System.Net;

namespace Stricture.Cli.Output;

/// <summary>The exit code for a server's final answer (docs/ci.md, Exit codes).</summary>
public static class StatusExitCode
{
    public static int For(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => ExitCodes.Success,
        409 => ExitCodes.Conflict,
        401 or 403 => ExitCodes.AuthenticationOrScope,
        404 => ExitCodes.NotFound,
        // 400, 413, 415, and anything else the request itself got wrong.
        >= 400 and < 500 => ExitCodes.InvalidInput,
        // 5xx that was not retried (507), or retried to the deadline.
        _ => ExitCodes.Unavailable,
    };
}
