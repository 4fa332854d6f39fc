using System.Net;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// Start-up rules for authentication, each failing with what to set instead. It reads the server
/// options (where the server listens), so it must not also validate them: that would make the
/// options depend on themselves.
/// </summary>
internal sealed class AuthOptionsValidator(IOptions<ServerOptions> server, IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public const int MinimumTokenLength = 16;

    private static readonly string ModeList = string.Join(", ", AuthOptions.ModeNames.Keys.Select(mode => $"'{mode}'"));

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (!options.IsKnownMode)
        {
            return ValidateOptionsResult.Fail($"{AuthOptions.ModeSetting} must be one of {ModeList}, not '{options.ModeName}'.");
        }
        var failures = new List<string>();
        var mode = ModeName(options.Mode);
        if (options.AcceptsSharedTokens)
        {
            ValidateSharedTokens(options, mode, failures);
        }
        else if (options.TokenFile is not null)
        {
            failures.Add($"{AuthOptions.TokenFileSetting} is set, but {AuthOptions.ModeSetting}={mode} accepts no shared tokens: " +
                         $"set {AuthOptions.ModeSetting}=token or token-or-jwt, or remove {AuthOptions.TokenFileSetting}.");
        }
        if (options.AcceptsJwts)
        {
            if (options.JwtIssuers.Count == 0)
            {
                failures.Add($"{AuthOptions.ModeSetting}={mode} needs at least one trusted issuer: for GitHub Actions set " +
                             $"{AuthOptions.IssuerSetting("0", JwtIssuerOptions.ProviderSetting)}=github, " +
                             $"{AuthOptions.IssuerSetting("0", JwtIssuerOptions.AudienceSetting)} and " +
                             $"{AuthOptions.IssuerSetting("0", JwtIssuerOptions.AllowedOrganizationsSetting)}; " +
                             $"for another OIDC provider {AuthOptions.IssuerSetting("0", JwtIssuerOptions.IssuerSetting)} and " +
                             $"{AuthOptions.IssuerSetting("0", JwtIssuerOptions.AudienceSetting)} (docs/auth.md).");
            }
            failures.AddRange(JwtIssuerValidator.Validate(options.JwtIssuers, configuration.GetSection(AuthOptions.JwtIssuersSetting)));
        }
        else if (options.JwtIssuers.Count > 0)
        {
            failures.Add($"{AuthOptions.JwtIssuersSetting} is set, but {AuthOptions.ModeSetting}={mode} accepts no JWTs: " +
                         $"set {AuthOptions.ModeSetting}=jwt or token-or-jwt, or remove the issuers.");
        }
        if (options.Mode == AuthMode.None && !server.Value.AllowInsecureNoAuth && BindsBeyondLoopback(server.Value) is { } exposed)
        {
            failures.Add(
                $"{AuthOptions.ModeSetting}=none accepts unauthenticated posts, so it is allowed only on a loopback address, " +
                $"but the server would listen on {exposed}. Set {ServerOptions.AddressSetting}=127.0.0.1:{ListenAddress.DefaultPort}, " +
                $"or {AuthOptions.ModeSetting}=token with {AuthOptions.IngestTokenSetting}, or, only behind a network boundary you trust, " +
                $"{ServerOptions.AllowInsecureNoAuthSetting}=true.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSharedTokens(AuthOptions options, string mode, List<string> failures)
    {
        if (options.IngestToken is null && options.TokenFile is null)
        {
            failures.Add($"{AuthOptions.ModeSetting}={mode} needs {AuthOptions.IngestTokenSetting}: set it to a long random secret, " +
                         $"for example the output of 'openssl rand -hex 32' (or list scoped tokens in {AuthOptions.TokenFileSetting}).");
        }
        else if (options.IngestToken is { Length: < MinimumTokenLength })
        {
            failures.Add($"{AuthOptions.IngestTokenSetting} must be at least {MinimumTokenLength} characters long.");
        }
        if (options.IngestTokenSecondary is { Length: < MinimumTokenLength })
        {
            failures.Add($"{AuthOptions.IngestTokenSecondarySetting} must be at least {MinimumTokenLength} characters long.");
        }
        if (options.TokenFile is { } path && ScopedTokenFile.Check(path) is { Count: > 0 } problems)
        {
            failures.Add($"{AuthOptions.TokenFileSetting} '{path}' cannot be used: {string.Join(" ", problems)} (docs/auth.md, 'Scoped tokens').");
        }
    }

    private static string ModeName(AuthMode mode) => AuthOptions.ModeNames.First(entry => entry.Value == mode).Key;

    /// <returns>A description of the non-loopback bind, or null when every bind is loopback.</returns>
    private static string? BindsBeyondLoopback(ServerOptions options)
    {
        if (options.ParsedAddress is { } address)
        {
            return address.IsLoopback ? null : $"'{address}'{(address.Address is null ? " (every interface)" : "")}";
        }
        var exposed = options.UrlHosts.Where(host => !IsLoopbackHost(host)).ToList();
        return exposed.Count == 0 ? null : $"'{string.Join("', '", exposed)}' (from ASPNETCORE_URLS)";
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
