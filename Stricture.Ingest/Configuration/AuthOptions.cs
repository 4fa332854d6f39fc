namespace Stricture.Ingest.Configuration;

public enum AuthMode
{
    /// <summary>No authentication; allowed only on a loopback bind unless explicitly overridden.</summary>
    None,
    /// <summary>A shared bearer token, with an optional secondary token during rotation.</summary>
    Token,
}

public sealed class AuthOptions
{
    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>The text of STRICTURE_SERVER_AUTH_MODE when it named no known mode.</summary>
    public string? UnknownMode { get; set; }

    public string? IngestToken { get; set; }

    public string? IngestTokenSecondary { get; set; }
}
