using Stricture.Ingest.Webhooks;

namespace Stricture.Tests.Webhooks;

/// <summary>X-Stricture-Signature-256, as a receiver checks it.</summary>
public sealed class WebhookSignatureTests
{
    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_the_body_and_verifies_only_with_the_same_secret_and_body()
    {
        var body = "{\"event\":\"run.drift\"}"u8.ToArray();
        var signature = WebhookSignature.Sign(body, "key-0123456789abcdef");
        // Computed independently (Python's hmac module), as a receiver in another language would.
        Assert.Equal("sha256=67b264b0d63aeca5ba813dedc4d9d89a9eae5dd0c13309d5b878e85e7ed1a068", signature);
        Assert.True(WebhookSignature.Verify(body, "key-0123456789abcdef", signature));
        Assert.False(WebhookSignature.Verify(body, "another-secret-0123456", signature), "another secret must not verify");
        Assert.False(WebhookSignature.Verify("{\"event\":\"run.drift\" }"u8, "key-0123456789abcdef", signature), "another body must not verify");
    }
}
