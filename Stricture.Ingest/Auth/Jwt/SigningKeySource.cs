using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// One issuer's signing keys, held by IdentityModel's <see cref="ConfigurationManager{T}"/> (what
/// ASP.NET Core's JwtBearer uses): fetched on first use from the OIDC discovery document, or
/// straight from the JWKS URL (<see cref="IssuerKeysRetriever"/>), cached, fetched again once older
/// than <see cref="MaxAge"/> (plus up to 5% that IdentityModel adds so that servers do not all fetch
/// at once), single-flight, and kept when a later fetch fails; with none at all the answer is
/// "unavailable".
///
/// A token naming a key id the cached set lacks (the issuer rotated its keys) asks for a refresh.
/// Fetches are at least the refresh interval apart, whatever causes them (IdentityModel's
/// <see cref="BaseConfigurationManager.RefreshInterval"/>, on the system clock), so a stream of
/// tokens with made-up key ids costs the issuer one request per interval, not one per token, and
/// an unreachable issuer is tried once per interval. Refreshes block (IdentityModel's
/// <c>UpdateConfigAsBlocking</c> switch), so the first token signed with a new key waits for the
/// fetch and is accepted instead of being refused while a background fetch runs. IdentityModel
/// reads that switch once, at its first use anywhere in the process (its token handlers read it
/// too), so it is set in the runtime configuration (Stricture.Ingest.csproj), not in code.
/// </summary>
internal sealed class SigningKeySource
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;

    public SigningKeySource(JwtIssuerOptions issuer, IDocumentRetriever documents, TimeSpan refreshInterval, ILogger<SigningKeySource> logger)
    {
        if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
        {
            throw new InvalidOperationException(
                $"The runtime configuration must set {BlockingRefreshSwitch}: without it a token signed with a rotated key is refused while its keys are fetched.");
        }
        var address = issuer.JwksUrl ?? issuer.EffectiveDiscoveryUrl!;
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(address.AbsoluteUri, new IssuerKeysRetriever(issuer, logger), documents)
        {
            AutomaticRefreshInterval = MaxAge,
            RefreshInterval = refreshInterval,
        };
    }

    /// <returns>The keys to check a token naming <paramref name="keyId"/> against; null when none could be fetched.</returns>
    public async Task<IReadOnlyList<SecurityKey>?> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        var keys = await CurrentAsync(cancellationToken);
        if (keys is null || keyId is null || keys.Any(key => key.KeyId == keyId))
        {
            return keys;
        }
        // Within the refresh interval this asks for nothing, and the cached keys come back.
        _configuration.RequestRefresh();
        return await CurrentAsync(cancellationToken) ?? keys;
    }

    private async Task<IReadOnlyList<SecurityKey>?> CurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _configuration.GetConfigurationAsync(cancellationToken)).SigningKeys.ToList();
        }
        catch (InvalidOperationException)
        {
            // No keys were ever fetched (IDX20803); the retriever logged why.
            return null;
        }
    }
}
