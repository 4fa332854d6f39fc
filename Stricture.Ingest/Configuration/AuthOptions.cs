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
    /// <summary>STRICTURE_SERVER_AUTH_MODE's values, in the order messages list them.</summary>
    public static readonly IReadOnlyDictionary<string, AuthMode> ModeNames = new Dictionary<string, AuthMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = AuthMode.None,
        ["token"] = AuthMode.Token,
        ["jwt"] = AuthMode.Jwt,
        ["token-or-jwt"] = AuthMode.TokenOrJwt,
    };

    public const int MaxClockSkewSeconds = 300;

    public const int MaxKeyRefreshSeconds = 3600;

    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>The text of STRICTURE_SERVER_AUTH_MODE when it named no known mode.</summary>
    public string? UnknownMode { get; set; }

    public string? IngestToken { get; set; }

    public string? IngestTokenSecondary { get; set; }

    /// <summary>The scoped-token file (SHA-256 hashes, scopes, expiry), reloaded when it changes.</summary>
    public string? TokenFile { get; set; }

    public IReadOnlyList<JwtIssuerOptions> JwtIssuers { get; set; } = [];

    /// <summary>How far a JWT's exp and nbf may be off from this server's clock.</summary>
    public TimeSpan JwtClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The shortest time between two fetches of an issuer's signing keys. A token with an unknown
    /// key id triggers a fetch, so this bounds what a stream of forged key ids can cost the issuer and us.
    /// </summary>
    public TimeSpan JwtKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    public bool AcceptsSharedTokens => Mode is AuthMode.Token or AuthMode.TokenOrJwt;

    public bool AcceptsJwts => Mode is AuthMode.Jwt or AuthMode.TokenOrJwt;
}
