using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Stricture.Ingest.Auth;

/// <summary>
/// The principal an authenticated request carries, whatever proved it (shared token, scoped
/// token, JWT): a name for the audit log and one claim per granted scope.
/// </summary>
internal static class StrictureIdentity
{
    public const string ScopeClaim = "urn:stricture:scope";

    public static ClaimsPrincipal Create(string name, IEnumerable<Scope> scopes, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. scopes.Distinct().Select(scope => new Claim(ScopeClaim, scope.ToString()))],
            authenticationType));

    public static AuthenticateResult Authenticated(string name, IEnumerable<Scope> scopes, string authenticationType) =>
        AuthenticateResult.Success(new AuthenticationTicket(Create(name, scopes, authenticationType), BearerAuthenticationHandler.SchemeName));

    public static IReadOnlyList<Scope> ScopesOf(ClaimsPrincipal user) =>
        user.FindAll(ScopeClaim)
            .Select(claim => Scope.TryParse(claim.Value, allowEverything: true, out var scope) ? scope : (Scope?)null)
            .OfType<Scope>()
            .ToList();
}
