namespace Stricture.Ingest.Configuration;

/// <summary>Which identity provider an issuer is; each sets defaults (<see cref="JwtProviderPresets"/>).</summary>
public enum JwtProvider
{
    /// <summary>Any OpenID Connect provider, with the claim names configured.</summary>
    Oidc,
    GitHub,
    Cloudflare,
    Entra,
}

/// <summary>
/// One trusted token issuer (STRICTURE_SERVER_JWT_ISSUERS__&lt;name&gt;__*), after its provider's
/// defaults have been applied. Checked at start-up by <see cref="JwtIssuerValidator"/>.
/// </summary>
public sealed class JwtIssuerOptions
{
    /// <summary>The section's name (an index or a word), for messages.</summary>
    public required string Name { get; init; }

    public JwtProvider Provider { get; set; } = JwtProvider.Oidc;

    /// <summary>The <c>iss</c> the tokens carry, compared exactly.</summary>
    public string? Issuer { get; set; }

    /// <summary>Accepted <c>aud</c> values; a token needs one of them.</summary>
    public IReadOnlyList<string> Audiences { get; set; } = [];

    /// <summary>Where the OIDC discovery document is; defaults to the issuer's <c>/.well-known/openid-configuration</c>.</summary>
    public Uri? DiscoveryUrl { get; set; }

    /// <summary>When set, the signing keys are read from this JWKS directly, without discovery.</summary>
    public Uri? JwksUrl { get; set; }

    /// <summary>The claims that name the principal, tried in order; the first that is present and not empty wins.</summary>
    public IReadOnlyList<string> SubjectClaims { get; set; } = ["sub"];

    /// <summary>A claim whose value is the organization the token may write (lowercased).</summary>
    public string? OrganizationClaim { get; set; }

    /// <summary>A claim whose value (after its last '/') is the one project the token may write.</summary>
    public string? ProjectClaim { get; set; }

    /// <summary>A claim listing scopes (<c>org/project</c>, <c>org/*</c>) as an array or a space-separated string.</summary>
    public string? ScopesClaim { get; set; }

    /// <summary>Scopes every token of this issuer is granted, as configured (checked at start-up).</summary>
    public IReadOnlyList<string> Scopes { get; set; } = [];

    /// <summary>When not empty, only tokens whose organization claim is one of these are accepted.</summary>
    public IReadOnlyList<string> AllowedOrganizations { get; set; } = [];

    /// <summary>Problems found while reading the section (an unknown key or provider, a malformed URL).</summary>
    public List<string> SettingErrors { get; } = [];

    public string Setting(string key) => SettingNames.JwtIssuerSetting(Name, key);

    /// <summary>The discovery document's address, unless the keys come from a JWKS URL directly.</summary>
    public Uri? EffectiveDiscoveryUrl =>
        JwksUrl is not null ? null
        : DiscoveryUrl ?? (Uri.TryCreate(Issuer?.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute, out var url) ? url : null);
}
