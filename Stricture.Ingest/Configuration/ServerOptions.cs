using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Configuration;

/// <summary>How the server listens and how much it accepts.</summary>
public sealed class ServerOptions
{
    public const string AddressSetting = "STRICTURE_SERVER_ADDR";
    public const string AllowInsecureNoAuthSetting = "STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH";
    public const string MaxBodyBytesSetting = "STRICTURE_SERVER_MAX_BODY_BYTES";

    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>Where Kestrel listens, as the spec writes it (<see cref="ListenAddress"/>); unset: see <see cref="BindAddress"/>.</summary>
    [ConfigurationKeyName(AddressSetting)]
    public string? Address { get; set; }

    /// <summary>ASP.NET Core's own URL setting (ASPNETCORE_URLS, --urls), which it binds when <see cref="Address"/> is not set.</summary>
    [ConfigurationKeyName("urls")]
    public string? Urls { get; set; }

    [ConfigurationKeyName(AllowInsecureNoAuthSetting)]
    public bool AllowInsecureNoAuth { get; set; }

    /// <summary>The largest request body accepted, after gzip decompression.</summary>
    [ConfigurationKeyName(MaxBodyBytesSetting)]
    [SettingRange(1L, 1L << 30)]
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary><see cref="Address"/> parsed; null when unset or unreadable (the validator says why).</summary>
    public ListenAddress? ParsedAddress => Address is { } text && ListenAddress.TryParse(text, out var parsed, out _) ? parsed : null;

    /// <summary>
    /// Where Kestrel listens: <see cref="Address"/>; else nothing of ours when <see cref="Urls"/> is set
    /// (as the Aspire AppHost launches it). Else the spec's default ':8085' (every interface), except
    /// that with no authentication that would expose an open write endpoint, so it binds loopback only.
    /// </summary>
    public ListenAddress? BindAddress(AuthMode mode) =>
        ParsedAddress
        ?? (Urls is not null ? null
            : mode == AuthMode.None ? ListenAddress.LoopbackDefault
            : ListenAddress.AllInterfacesDefault);

    /// <summary>Hosts ASP.NET Core binds from <see cref="Urls"/>.</summary>
    public IReadOnlyList<string> UrlHosts =>
        Urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal))
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : url)
            .ToList() ?? [];
}
