using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Configuration;

public enum AuthMode
{
    /// <summary>No authentication; allowed only on a loopback bind unless explicitly overridden.</summary>
    None,
    /// <summary>A shared bearer token (with an optional secondary), and scoped tokens from the token file.</summary>
    Token,
    /// <summary>A JWT from one of the trusted issuers (OIDC).</summary>
    Jwt,
    /// <summary>Either of the above, for moving pipelines from shared tokens to OIDC one at a time.</summary>
    TokenOrJwt,
}

public sealed class AuthOptions
{
    public const string ModeSetting = "STRICTURE_SERVER_AUTH_MODE";
    public const string IngestTokenSetting = "STRICTURE_SERVER_INGEST_TOKEN";
    public const string IngestTokenSecondarySetting = "STRICTURE_SERVER_INGEST_TOKEN_SECONDARY";
    public const string TokenFileSetting = "STRICTURE_SERVER_TOKEN_FILE";
    public const string JwtClockSkewSetting = "STRICTURE_SERVER_JWT_CLOCK_SKEW_SECONDS";
    public const string JwtKeyRefreshSetting = "STRICTURE_SERVER_JWT_KEY_REFRESH_SECONDS";

    /// <summary>
    /// The trusted issuers: one section per issuer, named by an index or a word
    /// (<c>STRICTURE_SERVER_JWT_ISSUERS__0__AUDIENCE</c>, <c>STRICTURE_SERVER_JWT_ISSUERS__github__AUDIENCE</c>).
    /// </summary>
    public const string JwtIssuersSetting = "STRICTURE_SERVER_JWT_ISSUERS";

    /// <summary>STRICTURE_SERVER_AUTH_MODE's values, in the order messages list them.</summary>
    public static readonly IReadOnlyDictionary<string, AuthMode> ModeNames = new Dictionary<string, AuthMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = AuthMode.None,
        ["token"] = AuthMode.Token,
        ["jwt"] = AuthMode.Jwt,
        ["token-or-jwt"] = AuthMode.TokenOrJwt,
    };

    /// <summary>How messages name one issuer's setting: as the environment variable an operator sets.</summary>
    public static string IssuerSetting(string issuer, string key) => $"{JwtIssuersSetting}__{issuer}__{key}";

    /// <summary>The mode as configured; <see cref="Mode"/> is what it means, once the validator has accepted it.</summary>
    [ConfigurationKeyName(ModeSetting)]
    public string ModeName { get; set; } = "none";

    public AuthMode Mode => ModeNames.GetValueOrDefault(ModeName, AuthMode.None);

    public bool IsKnownMode => ModeNames.ContainsKey(ModeName);

    [ConfigurationKeyName(IngestTokenSetting)]
    public string? IngestToken { get; set; }

    [ConfigurationKeyName(IngestTokenSecondarySetting)]
    public string? IngestTokenSecondary { get; set; }

    /// <summary>The scoped-token file (SHA-256 hashes, scopes, expiry), reloaded when it changes.</summary>
    [ConfigurationKeyName(TokenFileSetting)]
    public string? TokenFile { get; set; }

    /// <summary>The trusted issuers by section name, with their provider's defaults applied (<see cref="JwtProviderPresets"/>).</summary>
    [ConfigurationKeyName(JwtIssuersSetting)]
    public Dictionary<string, JwtIssuerOptions> Issuers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<JwtIssuerOptions> JwtIssuers => [.. Issuers.Values];

    /// <summary>How far a JWT's exp and nbf may be off from this server's clock.</summary>
    [ConfigurationKeyName(JwtClockSkewSetting)]
    [SettingRange(0, 300)]
    public int JwtClockSkewSeconds { get; set; } = 60;

    public TimeSpan JwtClockSkew => TimeSpan.FromSeconds(JwtClockSkewSeconds);

    /// <summary>
    /// The shortest time between two fetches of an issuer's signing keys. A token with an unknown
    /// key id triggers a fetch, so this bounds what a stream of forged key ids can cost the issuer and us.
    /// </summary>
    [ConfigurationKeyName(JwtKeyRefreshSetting)]
    [SettingRange(1, 3600)]
    public int JwtKeyRefreshSeconds { get; set; } = 60;

    public TimeSpan JwtKeyRefreshInterval => TimeSpan.FromSeconds(JwtKeyRefreshSeconds);

    public bool AcceptsSharedTokens => Mode is AuthMode.Token or AuthMode.TokenOrJwt;

    public bool AcceptsJwts => Mode is AuthMode.Jwt or AuthMode.TokenOrJwt;
}
