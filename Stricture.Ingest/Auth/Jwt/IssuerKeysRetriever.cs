using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// Reads one issuer's signing keys for <see cref="SigningKeySource"/>'s configuration manager: from
/// its JWKS URL when one is configured, else from its OIDC discovery document, which must name the
/// issuer it was fetched for (OIDC Discovery 1.0, section 4.3). Only RSA and EC keys are kept: an
/// HMAC ("oct") key in a key set would let anyone who can read that public document sign tokens.
/// A failure is logged here and thrown, so the manager keeps the keys it had.
/// </summary>
internal sealed partial class IssuerKeysRetriever(JwtIssuerOptions issuer, ILogger logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        try
        {
            var keys = await FetchAsync(address, retriever, cancel);
            LogKeysFetched(logger, issuer.Issuer!, keys.Count, string.Join(", ", keys.Select(k => k.KeyId)));
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer.Issuer };
            keys.ForEach(configuration.SigningKeys.Add);
            return configuration;
        }
        catch (Exception exception)
        {
            // Whatever went wrong (network, status, document), the answer is the same: keep what we have.
            LogFetchFailed(logger, issuer.Issuer!, exception);
            throw;
        }
    }

    private async Task<List<SecurityKey>> FetchAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        IEnumerable<SecurityKey> keys;
        if (issuer.JwksUrl is not null)
        {
            keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel)).GetSigningKeys();
        }
        else
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel);
            if (!string.Equals(configuration.Issuer, issuer.Issuer, StringComparison.Ordinal))
            {
                throw new IssuerKeysException($"The discovery document at {address} names the issuer '{configuration.Issuer}', not '{issuer.Issuer}'.");
            }
            keys = configuration.SigningKeys;
        }
        var usable = keys.Where(key => key is not SymmetricSecurityKey && key is not JsonWebKey { Kty: JsonWebAlgorithmsKeyTypes.Octet }).ToList();
        return usable.Count > 0 ? usable : throw new IssuerKeysException("The key set holds no RSA or EC signing key.");
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Signing keys of {Issuer} fetched: {Count} keys ({KeyIds})")]
    private static partial void LogKeysFetched(ILogger logger, string issuer, int count, string keyIds);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The signing keys of {Issuer} could not be fetched; the previous keys, if any, stay in use")]
    private static partial void LogFetchFailed(ILogger logger, string issuer, Exception exception);
}
