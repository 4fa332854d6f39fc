namespace Stricture.Ingest.Configuration;

/// <summary>
/// The configuration keys the services read. They are the spec's environment variable names,
/// used verbatim as configuration keys, so the same name works as an environment variable, a
/// command-line switch (--STRICTURE_SERVER_ADDR=...) or a key in appsettings.json. The storage
/// settings, which the replicator reads too, are in Stricture.Storage's StorageSettingNames.
/// </summary>
public static class SettingNames
{
    public const string Address = "STRICTURE_SERVER_ADDR";
    public const string AuthMode = "STRICTURE_SERVER_AUTH_MODE";
    public const string IngestToken = "STRICTURE_SERVER_INGEST_TOKEN";
    public const string IngestTokenSecondary = "STRICTURE_SERVER_INGEST_TOKEN_SECONDARY";
    public const string TokenFile = "STRICTURE_SERVER_TOKEN_FILE";
    public const string JwtClockSkewSeconds = "STRICTURE_SERVER_JWT_CLOCK_SKEW_SECONDS";
    public const string JwtKeyRefreshSeconds = "STRICTURE_SERVER_JWT_KEY_REFRESH_SECONDS";

    /// <summary>
    /// The trusted issuers: one section per issuer, named by an index or a word
    /// (<c>STRICTURE_SERVER_JWT_ISSUERS__0__AUDIENCE</c>, <c>STRICTURE_SERVER_JWT_ISSUERS__github__AUDIENCE</c>);
    /// the keys inside a section are in <see cref="JwtIssuerSettingNames"/>.
    /// </summary>
    public const string JwtIssuers = "STRICTURE_SERVER_JWT_ISSUERS";

    /// <summary>How messages name one issuer's setting: as the environment variable an operator sets.</summary>
    public static string JwtIssuerSetting(string issuer, string key) => $"{JwtIssuers}__{issuer}__{key}";

    public const string AllowInsecureNoAuth = "STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH";
    public const string MaxBodyBytes = "STRICTURE_SERVER_MAX_BODY_BYTES";
    public const string AuditFile = "STRICTURE_SERVER_AUDIT_FILE";
}

/// <summary>The keys of one trusted issuer's section under <see cref="SettingNames.JwtIssuers"/>.</summary>
public static class JwtIssuerSettingNames
{
    public const string Provider = "PROVIDER";
    public const string Issuer = "ISSUER";
    public const string Audience = "AUDIENCE";
    public const string DiscoveryUrl = "DISCOVERY_URL";
    public const string JwksUrl = "JWKS_URL";
    public const string SubjectClaim = "SUBJECT_CLAIM";
    public const string OrganizationClaim = "ORGANIZATION_CLAIM";
    public const string ProjectClaim = "PROJECT_CLAIM";
    public const string ScopesClaim = "SCOPES_CLAIM";
    public const string Scopes = "SCOPES";
    public const string AllowedOrganizations = "ALLOWED_ORGANIZATIONS";

    public static readonly string[] All =
        [Provider, Issuer, Audience, DiscoveryUrl, JwksUrl, SubjectClaim, OrganizationClaim, ProjectClaim, ScopesClaim, Scopes, AllowedOrganizations];
}
