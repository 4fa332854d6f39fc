using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Stricture.Tests.Infrastructure;

/// <summary>A key pair generated for a test: the private half signs tokens, the public half goes in a JWKS.</summary>
public sealed class TestSigningKey
{
    private TestSigningKey(string keyId, SecurityKey privateKey, string algorithm, JsonObject publicJwk)
    {
        KeyId = keyId;
        PrivateKey = privateKey;
        Algorithm = algorithm;
        PublicJwk = publicJwk;
    }

    public string KeyId { get; }

    public SecurityKey PrivateKey { get; }

    public string Algorithm { get; }

    /// <summary>The public key as a JWK (RFC 7517), as an issuer publishes it.</summary>
    public JsonObject PublicJwk { get; }

    public static TestSigningKey Rsa(string? keyId = null)
    {
        keyId ??= "rsa-" + Guid.NewGuid().ToString("N")[..8];
        var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new TestSigningKey(keyId, new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256, new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        });
    }

    public static TestSigningKey EcP256(string? keyId = null)
    {
        keyId ??= "ec-" + Guid.NewGuid().ToString("N")[..8];
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ec.ExportParameters(includePrivateParameters: false);
        return new TestSigningKey(keyId, new ECDsaSecurityKey(ec) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256, new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["kid"] = keyId,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        });
    }

    /// <summary>The same key pair under another key id (generating RSA keys is slow).</summary>
    public TestSigningKey WithKeyId(string keyId)
    {
        var jwk = (JsonObject)PublicJwk.DeepClone();
        jwk["kid"] = keyId;
        SecurityKey key = PrivateKey switch
        {
            RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa) { KeyId = keyId },
            ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa) { KeyId = keyId },
            _ => throw new InvalidOperationException("not an asymmetric key"),
        };
        return new TestSigningKey(keyId, key, Algorithm, jwk);
    }

    /// <summary>The public key's bytes, as an attacker would use them for an HMAC secret (key confusion).</summary>
    public byte[] PublicKeyBytes() => PrivateKey switch
    {
        RsaSecurityKey rsa => rsa.Rsa.ExportSubjectPublicKeyInfo(),
        ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfo(),
        _ => throw new InvalidOperationException("not an asymmetric key"),
    };
}
