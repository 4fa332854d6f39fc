using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Configuration;

/// <summary>The ranges declared on <see cref="ServerOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ServerOptionsRanges : IValidateOptions<ServerOptions>;

/// <summary>The ranges declared on <see cref="AuthOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class AuthOptionsRanges : IValidateOptions<AuthOptions>;

/// <summary>STRICTURE_SERVER_ADDR must be an address Kestrel can bind.</summary>
internal sealed class ListenAddressValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.Address is { } text && !ListenAddress.TryParse(text, out _, out var error)
            ? ValidateOptionsResult.Fail($"{ServerOptions.AddressSetting}: {error}")
            : ValidateOptionsResult.Success;
}
