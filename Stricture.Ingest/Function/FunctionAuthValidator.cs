using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Function;

/// <summary>
/// Function mode has no loopback to fall back on: whoever can reach the function URL or the API
/// can post. So auth mode none needs the explicit override, as a non-loopback bind does.
/// </summary>
internal sealed class FunctionAuthValidator(IOptions<ServerOptions> server) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.Mode == AuthMode.None && options.IsKnownMode && !server.Value.AllowInsecureNoAuth
            ? ValidateOptionsResult.Fail(
                $"{AuthOptions.ModeSetting}=none accepts unauthenticated posts, and in function mode anyone who can reach the function " +
                $"URL or API can post. Set {AuthOptions.ModeSetting}=token with {AuthOptions.IngestTokenSetting} (or jwt), or, only when the " +
                $"function URL uses AWS_IAM auth or the API has an authorizer, {ServerOptions.AllowInsecureNoAuthSetting}=true.")
            : ValidateOptionsResult.Success;
}
