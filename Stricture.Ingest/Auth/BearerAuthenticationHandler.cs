using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Auth.Jwt;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>
/// The one authentication scheme, whatever STRICTURE_SERVER_AUTH_MODE accepts: reads
/// <c>Authorization: Bearer &lt;credential&gt;</c> (or, with a Cloudflare Access issuer, the
/// <c>Cf-Access-Jwt-Assertion</c> header) and checks it as a shared token (token modes) and as a
/// JWT (jwt modes). In token-or-jwt mode the shared tokens are tried first; a credential that
/// matches none and has the shape of a JWT is then checked as one, so its failure is precise.
///
/// Every failure is a 401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750) and a problem body
/// whose code says what was wrong; unavailable issuer keys are a 503.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    SharedTokenMatcher sharedTokens,
    JwtAuthenticator jwts,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    public const string AccessJwtHeader = "Cf-Access-Jwt-Assertion";

    private const string SharedTokenAuthenticationType = "token";

    /// <summary>Seconds a client should wait before retrying when the issuer's keys are unavailable.</summary>
    private const string RetryAfterSeconds = "30";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = auth.Value;
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return jwts.ReadsAccessHeader && Request.Headers[AccessJwtHeader].ToString() is { Length: > 0 } accessJwt
                ? await jwts.AuthenticateAsync(accessJwt, Context.RequestAborted)
                : AuthenticateResult.NoResult();
        }
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthFailure.WrongScheme.ToResult();
        }
        var credential = header[prefix.Length..].Trim();

        if (settings.AcceptsSharedTokens && sharedTokens.Match(credential) is { } match)
        {
            return match.Expires is { } expires && expires <= time.GetUtcNow()
                ? AuthFailure.ScopedTokenExpired(match.Principal, expires).ToResult()
                : StrictureIdentity.Authenticated(match.Principal, match.Scopes, SharedTokenAuthenticationType);
        }
        if (settings.Mode == AuthMode.Jwt || (settings.AcceptsJwts && JwtAuthenticator.LooksLikeJwt(credential)))
        {
            return await jwts.AuthenticateAsync(credential, Context.RequestAborted);
        }
        return AuthFailure.InvalidToken.ToResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = (result.Failure as AuthFailureException)?.Failure ?? (result.Failure is null ? AuthFailure.MissingToken : AuthFailure.InvalidToken);

        Response.StatusCode = failure.Status;
        if (failure.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        else
        {
            Response.Headers.WWWAuthenticate = failure.IsMissing
                ? "Bearer realm=\"stricture\""
                : $"Bearer realm=\"stricture\", error=\"invalid_token\", error_description=\"{failure.Code}\"";
        }
        Context.Features.Get<IngestAuditFeature>()?.RejectAuthentication(failure.Code, failure.Principal);

        await failure.ToProblem().ToResult().ExecuteAsync(Context);
    }
}
