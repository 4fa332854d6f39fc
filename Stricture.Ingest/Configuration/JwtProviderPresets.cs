namespace Stricture.Ingest.Configuration;

/// <summary>
/// What each provider's tokens look like, as defaults an issuer's own settings override.
/// </summary>
public static class JwtProviderPresets
{
    public const string GitHubActionsIssuer = "https://token.actions.githubusercontent.com";

    /// <summary>Where Cloudflare Access publishes a team's signing keys, under the team domain (the issuer).</summary>
    public const string CloudflareCertsPath = "/cdn-cgi/access/certs";

    public static readonly IReadOnlyDictionary<string, JwtProvider> Names = new Dictionary<string, JwtProvider>(StringComparer.OrdinalIgnoreCase)
    {
        ["oidc"] = JwtProvider.Oidc,
        ["github"] = JwtProvider.GitHub,
        ["cloudflare"] = JwtProvider.Cloudflare,
        ["entra"] = JwtProvider.Entra,
    };

    /// <summary>Defaults that do not depend on other settings; applied before the issuer's own settings.</summary>
    public static void ApplyDefaults(JwtIssuerOptions options)
    {
        switch (options.Provider)
        {
            case JwtProvider.GitHub:
                // GitHub Actions: sub is "repo:<owner>/<repo>:<context>"; repository is "<owner>/<repo>".
                options.Issuer = GitHubActionsIssuer;
                options.OrganizationClaim = "repository_owner";
                options.ProjectClaim = "repository";
                break;
            case JwtProvider.Cloudflare:
                // Access leaves sub empty in service-token JWTs and names the token in common_name.
                options.SubjectClaims = ["sub", "common_name"];
                break;
            case JwtProvider.Entra:
                // App roles assigned to the calling application, e.g. "acme/checkout" or "acme/*".
                options.ScopesClaim = "roles";
                break;
        }
    }

    /// <summary>Defaults derived from the issuer's own settings; applied after them.</summary>
    public static void ApplyDerived(JwtIssuerOptions options)
    {
        // Access application tokens have no discovery document at the team domain; the keys are at a fixed path.
        if (options.Provider == JwtProvider.Cloudflare && options.JwksUrl is null && options.DiscoveryUrl is null &&
            Uri.TryCreate(options.Issuer?.TrimEnd('/') + CloudflareCertsPath, UriKind.Absolute, out var certs))
        {
            options.JwksUrl = certs;
        }
    }
}
