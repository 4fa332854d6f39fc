using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// One configured issuer at run time: how its tokens are validated (issuer, audiences, accepted
/// algorithms, clock skew, its keys) and how a valid token's claims become a principal and scopes.
/// </summary>
internal sealed class TrustedIssuer(JwtIssuerOptions options, SigningKeySource keys, TimeSpan clockSkew)
{
    /// <summary>Asymmetric algorithms only: "none" and HMAC (a key confusion attack with the public key as secret) never verify.</summary>
    public static readonly IReadOnlyList<string> AcceptedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly IReadOnlyList<Scope> _grantedToAll =
        options.ScopeGrants.Select(text => Scope.TryParse(text, allowEverything: true, out var scope) ? scope : (Scope?)null).OfType<Scope>().ToList();

    public string Issuer { get; } = options.Issuer!;

    public SigningKeySource Keys => keys;

    /// <summary>Cloudflare Access hands the application its JWT in this header rather than in Authorization.</summary>
    public bool SendsAccessHeader => options.ProviderKind == JwtProvider.Cloudflare;

    public TokenValidationParameters ValidationParameters(IEnumerable<SecurityKey> signingKeys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudiences = options.Audiences,
        IssuerSigningKeys = signingKeys,
        ValidAlgorithms = AcceptedAlgorithms,
        ClockSkew = clockSkew,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        RequireAudience = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
    };

    /// <summary>The principal and scopes of a validated token, or why it is refused.</summary>
    public (string? Principal, IReadOnlyList<Scope> Scopes, AuthFailure? Failure) Map(JsonWebToken token)
    {
        var claims = token.Claims.ToList();
        string? First(string type) => claims.Where(c => c.Type == type).Select(c => c.Value).FirstOrDefault(value => value.Length > 0);

        if (options.SubjectClaims.Select(First).FirstOrDefault(value => value is not null) is not { } subject)
        {
            return (null, [], AuthFailure.MissingClaim(options.SubjectClaims[0]));
        }
        var principal = IngestPrincipal.Jwt(Issuer, subject);
        var scopes = new List<Scope>(_grantedToAll);

        if (options.OrganizationClaim is { } organizationClaim)
        {
            // GitHub names are case-insensitive and shown with capitals; identifiers are lowercase.
            if (First(organizationClaim)?.ToLowerInvariant() is not { } organization)
            {
                return (principal, [], AuthFailure.MissingClaim(organizationClaim));
            }
            if (options.AllowedOrganizations.Count > 0 && !options.AllowedOrganizations.Contains(organization))
            {
                return (principal, [], AuthFailure.OrganizationNotAllowed(organization, principal));
            }
            var project = Scope.Wildcard;
            if (options.ProjectClaim is { } projectClaim)
            {
                if (First(projectClaim) is not { } projectValue)
                {
                    return (principal, [], AuthFailure.MissingClaim(projectClaim));
                }
                // GitHub's repository claim is "<owner>/<repo>": the project is the repository's own name.
                project = projectValue[(projectValue.LastIndexOf('/') + 1)..].ToLowerInvariant();
            }
            // A name outside the identifier grammar (".github") grants nothing rather than failing the token.
            if (Scope.TryParse($"{organization}/{project}", allowEverything: false, out var mapped))
            {
                scopes.Add(mapped);
            }
        }
        if (options.ScopesClaim is { } scopesClaim)
        {
            scopes.AddRange(ScopesIn(claims.Where(c => c.Type == scopesClaim)));
        }
        return (principal, scopes, null);
    }

    /// <summary>Scope claims come as a JSON array (one claim per item) or as one space-separated string (OAuth's "scope").</summary>
    private static IEnumerable<Scope> ScopesIn(IEnumerable<Claim> claims) =>
        claims.SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(text => Scope.TryParse(text, allowEverything: false, out var scope) ? scope : (Scope?)null)
            .OfType<Scope>();
}
