namespace Stricture.Ingest.Configuration;

/// <summary>How the server listens and how much it accepts.</summary>
public sealed class ServerOptions
{
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>Where Kestrel listens; null when the address comes from ASP.NET Core's own URL settings.</summary>
    public ListenAddress? Address { get; set; }

    /// <summary>Hosts ASP.NET Core binds from ASPNETCORE_URLS / --urls, when STRICTURE_SERVER_ADDR is not set.</summary>
    public IReadOnlyList<string> UrlHosts { get; set; } = [];

    public bool AllowInsecureNoAuth { get; set; }

    /// <summary>The largest request body accepted, after gzip decompression.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;
}
