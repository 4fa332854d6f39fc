using System.Reflection;

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
/// One trusted token issuer (STRICTURE_SERVER_JWT_ISSUERS__&lt;name&gt;__*): what its section sets,
/// with its provider's defaults filled in where it sets nothing. Lists are comma-separated.
/// Checked at start-up by <see cref="JwtIssuerValidator"/>. No derived property shares a name with a
/// key: the binder would try to bind it too, and a failure inside a dictionary entry drops the whole issuer silently.
/// </summary>
public sealed class JwtIssuerOptions
{
    public const string ProviderSetting = "PROVIDER";
    public const string IssuerSetting = "ISSUER";
    public const string AudienceSetting = "AUDIENCE";
    public const string DiscoveryUrlSetting = "DISCOVERY_URL";
    public const string JwksUrlSetting = "JWKS_URL";
    public const string SubjectClaimSetting = "SUBJECT_CLAIM";
    public const string OrganizationClaimSetting = "ORGANIZATION_CLAIM";
    public const string ProjectClaimSetting = "PROJECT_CLAIM";
    public const string ScopesClaimSetting = "SCOPES_CLAIM";
    public const string ScopesSetting = "SCOPES";
    public const string AllowedOrganizationsSetting = "ALLOWED_ORGANIZATIONS";

    /// <summary>The keys an issuer's section may set: the configuration names of its properties.</summary>
    public static readonly IReadOnlyList<string> Settings = typeof(JwtIssuerOptions).GetProperties()
        .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
        .OfType<string>()
        .ToList();

    /// <summary>The section's name (an index or a word), for messages.</summary>
    public string Name { get; internal set; } = "";

    [ConfigurationKeyName(ProviderSetting)]
    public string? ProviderName { get; set; }

    public JwtProvider ProviderKind => ProviderName is { } name ? JwtProviderPresets.Names.GetValueOrDefault(name, JwtProvider.Oidc) : JwtProvider.Oidc;

    /// <summary>The <c>iss</c> the tokens carry, compared exactly.</summary>
    [ConfigurationKeyName(IssuerSetting)]
    public string? Issuer { get; set; }

    /// <summary>Accepted <c>aud</c> values; a token needs one of them.</summary>
    [ConfigurationKeyName(AudienceSetting)]
    public string? Audience { get; set; }

    /// <summary>Where the OIDC discovery document is; defaults to the issuer's <c>/.well-known/openid-configuration</c>.</summary>
    [ConfigurationKeyName(DiscoveryUrlSetting)]
    public Uri? DiscoveryUrl { get; set; }

    /// <summary>When set, the signing keys are read from this JWKS directly, without discovery.</summary>
    [ConfigurationKeyName(JwksUrlSetting)]
    public Uri? JwksUrl { get; set; }

    /// <summary>The claims that name the principal, tried in order; the first that is present and not empty wins.</summary>
    [ConfigurationKeyName(SubjectClaimSetting)]
    public string? SubjectClaim { get; set; }

    /// <summary>A claim whose value is the organization the token may write (lowercased).</summary>
    [ConfigurationKeyName(OrganizationClaimSetting)]
    public string? OrganizationClaim { get; set; }

    /// <summary>A claim whose value (after its last '/') is the one project the token may write.</summary>
    [ConfigurationKeyName(ProjectClaimSetting)]
    public string? ProjectClaim { get; set; }

    /// <summary>A claim listing scopes (<c>org/project</c>, <c>org/*</c>) as an array or a space-separated string.</summary>
    [ConfigurationKeyName(ScopesClaimSetting)]
    public string? ScopesClaim { get; set; }

    /// <summary>Scopes every token of this issuer is granted, as configured (checked at start-up).</summary>
    [ConfigurationKeyName(ScopesSetting)]
    public string? GrantedScopes { get; set; }

    /// <summary>When set, only tokens whose organization claim is one of these are accepted.</summary>
    [ConfigurationKeyName(AllowedOrganizationsSetting)]
    public string? AllowedOrganizationList { get; set; }

    public IReadOnlyList<string> Audiences => List(Audience);

    public IReadOnlyList<string> SubjectClaims => SubjectClaim is null ? ["sub"] : List(SubjectClaim);

    public IReadOnlyList<string> ScopeGrants => List(GrantedScopes);

    public IReadOnlyList<string> AllowedOrganizations => [.. List(AllowedOrganizationList).Select(o => o.ToLowerInvariant())];

    public string Setting(string key) => AuthOptions.IssuerSetting(Name, key);

    /// <summary>The discovery document's address, unless the keys come from a JWKS URL directly.</summary>
    public Uri? EffectiveDiscoveryUrl =>
        JwksUrl is not null ? null
        : DiscoveryUrl ?? (Uri.TryCreate(Issuer?.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute, out var url) ? url : null);

    private static List<string> List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];
}
