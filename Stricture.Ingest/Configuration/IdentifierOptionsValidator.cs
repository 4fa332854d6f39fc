using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Configuration;

/// <summary>STRICTURE_SERVER_IDENTIFIERS must name a mode.</summary>
internal sealed class IdentifierOptionsValidator : IValidateOptions<IdentifierOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentifierOptions options) =>
        IdentifierOptions.Modes.Contains(options.Mode)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{IdentifierOptions.ModeSetting} must be '{IdentifierOptions.Strict}' (refuse names outside the identifier grammar) or " +
                $"'{IdentifierOptions.Normalize}' (rename them as the upstream Go server did), not '{options.Mode}'.");
}
