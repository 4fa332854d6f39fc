using Microsoft.AspNetCore.Authentication;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Auth;

/// <summary>
/// Why a request could not be authenticated: a stable problem code, what the client can do about
/// it, and the status (401, or 503 when the issuer's keys cannot be fetched: not the client's fault).
/// <see cref="Principal"/> names a credential that was genuine but is refused (an expired scoped
/// token, a GitHub owner not on the allow-list), for the audit log.
/// </summary>
internal sealed record AuthFailure(string Code, string Detail, int Status = StatusCodes.Status401Unauthorized, string? Principal = null)
{
    public const string MissingTokenCode = "missing-token";

    public static readonly AuthFailure MissingToken = new(MissingTokenCode, "Send the credential as 'Authorization: Bearer <token>'.");

    public static readonly AuthFailure InvalidToken = new("invalid-token", "The bearer token is not valid for this server.");

    public static readonly AuthFailure WrongScheme = new("invalid-token", "Send the credential as 'Authorization: Bearer <token>'; no other scheme is accepted.");

    public static readonly AuthFailure MalformedToken = new("malformed-token",
        "The bearer token is not a JWT (three base64url parts separated by dots); this server accepts only JWTs.");

    public static readonly AuthFailure UnsignedToken = new("unsigned-token", "The JWT is not signed (alg 'none'); only signed tokens are accepted.");

    public static AuthFailure DisallowedAlgorithm(string algorithm) => new("disallowed-algorithm",
        $"The JWT is signed with '{Shorten(algorithm)}'; trusted issuers sign with RSA or EC keys (RS256, PS256, ES256 and their larger sizes), " +
        "so HMAC and other algorithms are refused.");

    public static AuthFailure UntrustedIssuer(string? issuer) => new("untrusted-issuer",
        issuer is null ? "The JWT has no 'iss' claim." : $"The JWT's issuer '{Shorten(issuer)}' is not trusted by this server.");

    public static AuthFailure WrongAudience(string issuer) => new("wrong-audience",
        $"The JWT's audience ('aud') is not one this server accepts from '{issuer}'; request the token with the audience the server is configured with.");

    public static readonly AuthFailure Expired = new("token-expired", "The JWT has expired ('exp' is in the past); request a new token.");

    public static readonly AuthFailure NotYetValid = new("token-not-yet-valid",
        "The JWT is not valid yet: its 'nbf' is in the future, beyond the allowed clock skew.");

    public static readonly AuthFailure NoExpiry = new("missing-claim", "The JWT has no 'exp' claim; tokens without an expiry are refused.");

    public static AuthFailure UnknownSigningKey(string issuer, string? keyId) => new("unknown-signing-key",
        $"The JWT names signing key '{Shorten(keyId ?? "")}', which '{issuer}' does not publish.");

    public static readonly AuthFailure InvalidSignature = new("invalid-signature", "The JWT's signature does not verify with the issuer's keys.");

    public static AuthFailure KeysUnavailable(string issuer) => new("signing-keys-unavailable",
        $"The signing keys of '{issuer}' cannot be fetched right now, so the JWT cannot be checked; nothing was stored. Retry later.",
        StatusCodes.Status503ServiceUnavailable);

    public static AuthFailure MissingClaim(string claim) => new("missing-claim", $"The JWT has no '{claim}' claim, which this server needs to know who is posting.");

    public static AuthFailure OrganizationNotAllowed(string organization, string principal) => new("organization-not-allowed",
        $"Tokens for '{organization}' are not accepted by this server: the organization is not on its allow-list.", Principal: principal);

    public static AuthFailure ScopedTokenExpired(string principal, DateTimeOffset expires) => new("token-expired",
        $"The token '{principal}' expired at {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; ask for a new one.", Principal: principal);

    public bool IsMissing => Code == MissingTokenCode;

    public AuthenticateResult ToResult() => AuthenticateResult.Fail(new AuthFailureException(this));

    public RequestProblem ToProblem() => new(Status, Code,
        Status == StatusCodes.Status503ServiceUnavailable ? "Authentication is temporarily unavailable." : "Authentication is required.", Detail);

    /// <summary>Token content quoted back is attacker-chosen: keep it short.</summary>
    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}

/// <summary>Carries an <see cref="AuthFailure"/> through ASP.NET Core's authentication result to the challenge.</summary>
internal sealed class AuthFailureException(AuthFailure failure) : Exception(failure.Code)
{
    public AuthFailure Failure { get; } = failure;
}
