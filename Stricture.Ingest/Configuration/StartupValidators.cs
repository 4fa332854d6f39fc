using System.Net;
using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// Start-up rules for authentication, each failing with what to set instead. It reads the server
/// options (where the server listens), so it must not also validate them: that would make the
/// options depend on themselves.
/// </summary>
internal sealed class AuthOptionsValidator(IOptions<ServerOptions> server) : IValidateOptions<AuthOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.UnknownMode is { } unknown)
        {
            return ValidateOptionsResult.Fail($"{SettingNames.AuthMode} must be 'none' or 'token', not '{unknown}'.");
        }
        var failures = new List<string>();
        if (options.Mode == AuthMode.Token)
        {
            if (options.IngestToken is null)
            {
                failures.Add($"{SettingNames.AuthMode}=token needs {SettingNames.IngestToken}: set it to a long random secret, " +
                             "for example the output of 'openssl rand -hex 32'.");
            }
            else if (options.IngestToken.Length < MinimumTokenLength)
            {
                failures.Add($"{SettingNames.IngestToken} must be at least {MinimumTokenLength} characters long.");
            }
            if (options.IngestTokenSecondary is { Length: < MinimumTokenLength })
            {
                failures.Add($"{SettingNames.IngestTokenSecondary} must be at least {MinimumTokenLength} characters long.");
            }
        }
        else if (!server.Value.AllowInsecureNoAuth && BindsBeyondLoopback(server.Value) is { } exposed)
        {
            failures.Add(
                $"{SettingNames.AuthMode}=none accepts unauthenticated posts, so it is allowed only on a loopback address, " +
                $"but the server would listen on {exposed}. Set {SettingNames.Address}=127.0.0.1:{ListenAddress.DefaultPort}, " +
                $"or {SettingNames.AuthMode}=token with {SettingNames.IngestToken}, or, only behind a network boundary you trust, " +
                $"{SettingNames.AllowInsecureNoAuth}=true.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <returns>A description of the non-loopback bind, or null when every bind is loopback.</returns>
    private static string? BindsBeyondLoopback(ServerOptions options)
    {
        if (options.Address is { } address)
        {
            return address.IsLoopback ? null : $"'{address}'{(address.Address is null ? " (every interface)" : "")}";
        }
        var exposed = options.UrlHosts.Where(host => !IsLoopbackHost(host)).ToList();
        return exposed.Count == 0 ? null : $"'{string.Join("', '", exposed)}' (from ASPNETCORE_URLS)";
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.MaxBodyBytes > 1L << 30
            ? ValidateOptionsResult.Fail($"{SettingNames.MaxBodyBytes} is {options.MaxBodyBytes}; the largest supported body is 1 GiB.")
            : ValidateOptionsResult.Success;
}
