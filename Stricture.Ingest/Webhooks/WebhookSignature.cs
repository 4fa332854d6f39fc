using System.Security.Cryptography;
using System.Text;

namespace Stricture.Ingest.Webhooks;

/// <summary>X-Stricture-Signature-256: "sha256=" and the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Stricture-Signature-256";

    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? signature) =>
        signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(signature));
}
