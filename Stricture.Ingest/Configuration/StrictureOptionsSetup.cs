using System.Globalization;
using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// Binds the STRICTURE_SERVER_* settings onto one options class per concern. A value that cannot
/// be parsed fails start-up here, naming the setting; rules that span settings live in
/// the validators in StartupValidators.cs.
/// </summary>
internal sealed class StrictureOptionsSetup(IConfiguration configuration) :
    IConfigureOptions<ServerOptions>,
    IConfigureOptions<AuthOptions>,
    IConfigureOptions<AuditOptions>
{
    public void Configure(AuthOptions options)
    {
        if (Setting(SettingNames.AuthMode) is { } mode)
        {
            if (AuthOptions.ModeNames.TryGetValue(mode, out var known))
            {
                options.Mode = known;
            }
            else
            {
                options.UnknownMode = mode;
            }
        }
        options.IngestToken = Setting(SettingNames.IngestToken);
        options.IngestTokenSecondary = Setting(SettingNames.IngestTokenSecondary);
        options.TokenFile = Setting(SettingNames.TokenFile);
        options.JwtIssuers = JwtIssuerBinder.Bind(configuration.GetSection(SettingNames.JwtIssuers));
        if (Setting(SettingNames.JwtClockSkewSeconds) is { } skew)
        {
            options.JwtClockSkew = TimeSpan.FromSeconds(WholeNumber<AuthOptions>(SettingNames.JwtClockSkewSeconds, skew, 0, AuthOptions.MaxClockSkewSeconds));
        }
        if (Setting(SettingNames.JwtKeyRefreshSeconds) is { } refresh)
        {
            options.JwtKeyRefreshInterval = TimeSpan.FromSeconds(WholeNumber<AuthOptions>(SettingNames.JwtKeyRefreshSeconds, refresh, 1, AuthOptions.MaxKeyRefreshSeconds));
        }
    }

    public void Configure(ServerOptions options)
    {
        var address = Setting(SettingNames.Address);
        if (address is not null)
        {
            if (!ListenAddress.TryParse(address, out var parsed, out var error))
            {
                throw Invalid<ServerOptions>($"{SettingNames.Address}: {error}");
            }
            options.Address = parsed;
        }
        else if (Setting("urls") is { } urls)
        {
            // Launched with ASPNETCORE_URLS or --urls (as the Aspire AppHost does): ASP.NET Core binds those.
            options.UrlHosts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(url => url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal))
                .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : url)
                .ToList();
        }
        else
        {
            // The spec's default is ':8085' (every interface). With no authentication that would expose
            // an open write endpoint, so the unauthenticated default binds loopback only.
            var authMode = Setting(SettingNames.AuthMode);
            options.Address = authMode is null || authMode.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? ListenAddress.LoopbackDefault
                : ListenAddress.AllInterfacesDefault;
        }

        options.AllowInsecureNoAuth = Bool(SettingNames.AllowInsecureNoAuth);
        if (Setting(SettingNames.MaxBodyBytes) is { } maxBody)
        {
            if (!long.TryParse(maxBody, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes < 1)
            {
                throw Invalid<ServerOptions>($"{SettingNames.MaxBodyBytes} must be a positive number of bytes, not '{maxBody}'.");
            }
            options.MaxBodyBytes = bytes;
        }
    }

    public void Configure(AuditOptions options)
    {
        // A function instance's disk is temporary: there the log (CloudWatch) is the audit trail, unless a file is named.
        options.FilePath = Setting(SettingNames.AuditFile)
            ?? (Function.FunctionMode.IsSelected(configuration)
                ? ""
                : Path.Combine(Setting(StorageSettingNames.DataDirectory) ?? new StorageOptions().DataDirectory, "audit", "audit.jsonl"));
    }

    private string? Setting(string key) => configuration.Text(key);

    private bool Bool(string key) => configuration.Flag<StrictureOptionsSetup>(key);

    private static int WholeNumber<TOptions>(string key, string text, int min, int max) => SettingValues.WholeNumber<TOptions>(key, text, min, max);

    private static OptionsValidationException Invalid<T>(string message) => SettingValues.Invalid<T>(message);
}
