using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// One issuer's signing keys, fetched from its OIDC discovery document (or straight from its JWKS
/// URL) on first use and cached.
///
/// A fetch happens when there are no keys yet, when they are older than <see cref="MaxAge"/>, or
/// when a token names a key id the cached set lacks (the issuer rotated its keys). Fetches are
/// single-flight and at least the refresh interval apart, whatever causes them: a stream of
/// tokens with made-up key ids costs the issuer one request per interval, not one per token. The
/// request that triggers a fetch waits for it, so the first token signed with a new key is accepted.
///
/// When a fetch fails the previous keys stay in use; with none at all the answer is "unavailable".
/// Only RSA and EC keys are kept: an HMAC ("oct") key in a key set would let anyone who can read
/// that public document sign tokens.
/// </summary>
internal sealed partial class SigningKeySource(
    JwtIssuerOptions issuer, IDocumentRetriever documents, TimeProvider time, TimeSpan refreshInterval, ILogger<SigningKeySource> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile KeySet? _current;
    private DateTimeOffset? _lastFetch;

    /// <returns>The keys to check a token against; null when none could be fetched.</returns>
    public async Task<IReadOnlyList<SecurityKey>?> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (Fits(_current, keyId))
        {
            return _current!.Keys;
        }
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (Fits(_current, keyId))
            {
                return _current!.Keys; // fetched by the request this one waited for
            }
            var now = time.GetUtcNow();
            if (_lastFetch is { } last && now - last < refreshInterval)
            {
                return _current?.Keys;
            }
            _lastFetch = now;
            try
            {
                // Not the request's token: the fetch is shared, and its own timeout bounds it.
                var keys = await FetchAsync(CancellationToken.None);
                _current = new KeySet(keys, now);
                LogKeysFetched(logger, issuer.Issuer!, keys.Count, string.Join(", ", keys.Select(k => k.KeyId)));
            }
            catch (Exception exception)
            {
                // Whatever went wrong (network, status, document), the answer is the same: keep what we have.
                LogFetchFailed(logger, issuer.Issuer!, exception);
            }
            return _current?.Keys;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private bool Fits(KeySet? keys, string? keyId) =>
        keys is not null && time.GetUtcNow() - keys.FetchedAt < MaxAge && (keyId is null || keys.Keys.Any(key => key.KeyId == keyId));

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(CancellationToken cancellationToken)
    {
        IEnumerable<SecurityKey> keys;
        if (issuer.JwksUrl is { } jwksUrl)
        {
            keys = new JsonWebKeySet(await documents.GetDocumentAsync(jwksUrl.AbsoluteUri, cancellationToken)).GetSigningKeys();
        }
        else
        {
            var discoveryUrl = issuer.EffectiveDiscoveryUrl!;
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(discoveryUrl.AbsoluteUri, documents, cancellationToken);
            // OIDC Discovery 1.0, section 4.3: the document must name the issuer it was fetched for.
            if (!string.Equals(configuration.Issuer, issuer.Issuer, StringComparison.Ordinal))
            {
                throw new IssuerKeysException($"The discovery document at {discoveryUrl} names the issuer '{configuration.Issuer}', not '{issuer.Issuer}'.");
            }
            keys = configuration.SigningKeys;
        }
        var usable = keys.Where(key => key is not SymmetricSecurityKey && key is not JsonWebKey { Kty: JsonWebAlgorithmsKeyTypes.Octet }).ToList();
        return usable.Count > 0 ? usable : throw new IssuerKeysException("The key set holds no RSA or EC signing key.");
    }

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Signing keys of {Issuer} fetched: {Count} keys ({KeyIds})")]
    private static partial void LogKeysFetched(ILogger logger, string issuer, int count, string keyIds);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The signing keys of {Issuer} could not be fetched; the previous keys, if any, stay in use")]
    private static partial void LogFetchFailed(ILogger logger, string issuer, Exception exception);
}
