using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// Checks a JWT against the trusted issuers with IdentityModel's JsonWebTokenHandler (what
/// ASP.NET Core's JwtBearer uses), and turns each way a token can be wrong into its own problem
/// code. The header is read before anything is verified, so "none" and HMAC tokens are refused
/// by what they are, and the issuer claim selects which issuer's rules and keys apply.
/// </summary>
internal sealed class JwtAuthenticator
{
    public const string HttpClientName = "stricture-oidc";

    public const string AuthenticationType = "jwt";

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly Dictionary<string, TrustedIssuer> _issuers;

    public JwtAuthenticator(IOptions<AuthOptions> options, IHttpClientFactory http, ILoggerFactory loggers)
    {
        var auth = options.Value;
        var documents = new IssuerDocumentRetriever(http.CreateClient(HttpClientName));
        _issuers = auth.AcceptsJwts
            ? auth.JwtIssuers.ToDictionary(issuer => issuer.Issuer!, issuer => new TrustedIssuer(issuer,
                new SigningKeySource(issuer, documents, auth.JwtKeyRefreshInterval, loggers.CreateLogger<SigningKeySource>()),
                auth.JwtClockSkew), StringComparer.Ordinal)
            : [];
        ReadsAccessHeader = _issuers.Values.Any(issuer => issuer.SendsAccessHeader);
    }

    /// <summary>Whether a Cloudflare Access issuer is trusted, so its Cf-Access-Jwt-Assertion header is read.</summary>
    public bool ReadsAccessHeader { get; }

    /// <summary>Whether a bearer value has the shape of a JWT (three base64url parts); says nothing of its validity.</summary>
    public static bool LooksLikeJwt(string token) => Handler.CanReadToken(token) && token.Count(c => c == '.') == 2;

    public async Task<AuthenticateResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenException)
        {
            return AuthFailure.MalformedToken.ToResult();
        }
        if (jwt.IsEncrypted || string.IsNullOrEmpty(jwt.Alg))
        {
            return AuthFailure.MalformedToken.ToResult();
        }
        if (string.Equals(jwt.Alg, "none", StringComparison.OrdinalIgnoreCase) || jwt.EncodedSignature.Length == 0)
        {
            return AuthFailure.UnsignedToken.ToResult();
        }
        if (!TrustedIssuer.AcceptedAlgorithms.Contains(jwt.Alg))
        {
            return AuthFailure.DisallowedAlgorithm(jwt.Alg).ToResult();
        }
        if (!_issuers.TryGetValue(jwt.Issuer ?? "", out var issuer))
        {
            return AuthFailure.UntrustedIssuer(string.IsNullOrEmpty(jwt.Issuer) ? null : jwt.Issuer).ToResult();
        }

        var keyId = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;
        if (await issuer.Keys.GetAsync(keyId, cancellationToken) is not { } keys)
        {
            return AuthFailure.KeysUnavailable(issuer.Issuer).ToResult();
        }
        if (keyId is not null && !keys.Any(key => key.KeyId == keyId))
        {
            return AuthFailure.UnknownSigningKey(issuer.Issuer, keyId).ToResult();
        }

        var validation = await Handler.ValidateTokenAsync(jwt, issuer.ValidationParameters(keys));
        if (!validation.IsValid)
        {
            return Classify(validation.Exception, issuer, jwt).ToResult();
        }
        var (principal, scopes, refused) = issuer.Map(jwt);
        return refused is not null
            ? refused.ToResult()
            : StrictureIdentity.Authenticated(principal!, scopes, AuthenticationType);
    }

    private static AuthFailure Classify(Exception exception, TrustedIssuer issuer, JsonWebToken jwt) => exception switch
    {
        SecurityTokenExpiredException => AuthFailure.Expired,
        SecurityTokenNotYetValidException => AuthFailure.NotYetValid,
        SecurityTokenNoExpirationException => AuthFailure.NoExpiry,
        SecurityTokenInvalidAudienceException => AuthFailure.WrongAudience(issuer.Issuer),
        SecurityTokenInvalidIssuerException => AuthFailure.UntrustedIssuer(issuer.Issuer),
        SecurityTokenInvalidAlgorithmException => AuthFailure.DisallowedAlgorithm(jwt.Alg),
        SecurityTokenInvalidSignatureException => AuthFailure.InvalidSignature,
        _ => AuthFailure.InvalidToken,
    };
}
