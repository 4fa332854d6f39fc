using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Auth;

/// <summary>
/// STRICTURE_SERVER_AUTH_MODE=token: <c>Authorization: Bearer &lt;token&gt;</c> must match the
/// primary or the secondary shared token. A missing or wrong token is a 401 with
/// <c>WWW-Authenticate: Bearer</c> (RFC 6750) and a problem body.
/// </summary>
internal sealed class SharedTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SharedTokenMatcher matcher,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SharedToken";

    private const string MissingReason = "missing-token";
    private const string InvalidReason = "invalid-token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail(InvalidReason));
        }
        if (matcher.Match(header[prefix.Length..].Trim()) is not { } principal)
        {
            return Task.FromResult(AuthenticateResult.Fail(InvalidReason));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, principal)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(SchemeName);
        var reason = result.Failure is null ? MissingReason : InvalidReason;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason == MissingReason
            ? "Bearer realm=\"stricture\""
            : "Bearer realm=\"stricture\", error=\"invalid_token\"";
        Context.Features.Get<IngestAuditFeature>()?.Reject(reason);

        var problem = new RequestProblem(StatusCodes.Status401Unauthorized, reason, "Authentication is required.",
            reason == MissingReason
                ? "Send the ingest token as 'Authorization: Bearer <token>'."
                : "The bearer token is not valid for this server.");
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = problem.Status, Title = problem.Title, Detail = problem.Detail,
                Type = RequestProblem.TypePrefix + problem.Code, Extensions = { ["code"] = problem.Code },
            },
        });
    }
}
