namespace Stricture.Ingest.Configuration;

/// <summary>
/// What each provider's tokens look like, as defaults for what an issuer's own settings leave unset.
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

    /// <summary>Fills in what the provider implies and the issuer's section does not set.</summary>
    public static void Apply(JwtIssuerOptions options)
    {
        switch (options.ProviderKind)
        {
            case JwtProvider.GitHub:
                // GitHub Actions: sub is "repo:<owner>/<repo>:<context>"; repository is "<owner>/<repo>".
                options.Issuer ??= GitHubActionsIssuer;
                options.OrganizationClaim ??= "repository_owner";
                options.ProjectClaim ??= "repository";
                break;
            case JwtProvider.Cloudflare:
                // Access leaves sub empty in service-token JWTs and names the token in common_name.
                options.SubjectClaim ??= "sub,common_name";
                // Access application tokens have no discovery document at the team domain; the keys are at a fixed path.
                if (options.JwksUrl is null && options.DiscoveryUrl is null &&
                    Uri.TryCreate(options.Issuer?.TrimEnd('/') + CloudflareCertsPath, UriKind.Absolute, out var certs))
                {
                    options.JwksUrl = certs;
                }
                break;
            case JwtProvider.Entra:
                // App roles assigned to the calling application, e.g. "acme/checkout" or "acme/*".
                options.ScopesClaim ??= "roles";
                break;
        }
    }
}
