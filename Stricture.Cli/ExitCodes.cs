namespace Stricture.Cli;

/// <summary>
/// What a pipeline can branch on (docs/ci.md). Stable: scripts test these numbers. 1 is left to
/// the runtime (an unhandled bug), so no outcome a user can act on shares it.
/// </summary>
public static class ExitCodes
{
    /// <summary>Accepted, or already stored by an identical push; for reads, found.</summary>
    public const int Success = 0;

    /// <summary>Invalid input: a bad option or file (checked before any request), or the server's 400, 413 or 415.</summary>
    public const int InvalidInput = 2;

    /// <summary>409: the run id is stored with other content; the output names the existing location.</summary>
    public const int Conflict = 3;

    /// <summary>401 or 403, or no credential could be obtained (for example --oidc without id-token: write).</summary>
    public const int AuthenticationOrScope = 4;

    /// <summary>No acceptable answer within --timeout: connection failures, timeouts, 408, 429 or 5xx after retries.</summary>
    public const int Unavailable = 5;

    /// <summary>Read commands only: 404, no such service or run.</summary>
    public const int NotFound = 6;

    /// <summary>
    /// push --gate only: the run was stored, and the organization's gate decided block. The same
    /// number as <see cref="NotFound"/>, which push never returns (a 404 on push is invalid input).
    /// </summary>
    public const int GateBlocked = 6;
}
