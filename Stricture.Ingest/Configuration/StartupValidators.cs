using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Configuration;

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.MaxBodyBytes > 1L << 30
            ? ValidateOptionsResult.Fail($"{SettingNames.MaxBodyBytes} is {options.MaxBodyBytes}; the largest supported body is 1 GiB.")
            : ValidateOptionsResult.Success;
}
