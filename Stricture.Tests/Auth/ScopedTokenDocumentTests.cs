using Stricture.Ingest.Auth;

namespace Stricture.Tests.Auth;

public sealed class ScopedTokenDocumentTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void A_complete_file_parses_with_its_scopes_and_expiry()
    {
        var errors = ScopedTokenDocument.Parse($$"""
            {
              // comments and trailing commas are fine in a hand-edited file
              "tokens": [
                { "id": "checkout-ci", "sha256": "{{Hash.ToUpperInvariant()}}", "scopes": ["acme/checkout", "acme/*"], "expires": "2027-06-30T00:00:00+02:00" },
              ]
            }
            """, out var tokens);

        Assert.Empty(errors);
        var token = Assert.Single(tokens);
        Assert.Equal("checkout-ci", token.Id);
        Assert.Equal(Hash, Convert.ToHexStringLower(token.Sha256));
        Assert.Equal(["acme/checkout", "acme/*"], token.Scopes.Select(s => s.ToString()));
        Assert.Equal(new DateTimeOffset(2027, 6, 29, 22, 0, 0, TimeSpan.Zero), token.Expires);
    }

    // JSON with ' for " so the cases stay on one line each.
    [Theory]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'HASH', 'scopes': ['acme/*'] } ] }", "tokens[0].expires")]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'HASH', 'scopes': [], 'expires': '2027-01-01T00:00:00Z' } ] }", "tokens[0].scopes")]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'HASH', 'scopes': ['Acme'], 'expires': '2027-01-01T00:00:00Z' } ] }", "tokens[0].scopes")]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'plaintext', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' } ] }", "tokens[0].sha256")]
    [InlineData("{ 'tokens': [ { 'id': 'primary', 'sha256': 'HASH', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' } ] }", "tokens[0].id")]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'HASH', 'scopes': ['acme/*'], 'expires': '2027-01-01' } ] }", "tokens[0].expires")]
    [InlineData("{ 'tokens': [ { 'id': 'ci', 'sha256': 'HASH', 'scope': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' } ] }", "tokens[0].scope is not a field")]
    [InlineData("{ 'tokens': [ { 'id': 'a', 'sha256': 'HASH', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' }, { 'id': 'a', 'sha256': 'OTHER', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' } ] }", "the id 'a' is used by more than one")]
    [InlineData("{ 'tokens': [ { 'id': 'a', 'sha256': 'HASH', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' }, { 'id': 'b', 'sha256': 'HASH', 'scopes': ['acme/*'], 'expires': '2027-01-01T00:00:00Z' } ] }", "the same sha256")]
    [InlineData("[]", "'tokens' array")]
    [InlineData("{ 'tokens': [", "not JSON")]
    public void A_mistake_anywhere_rejects_the_file_and_names_the_entry(string json, string expected)
    {
        var errors = ScopedTokenDocument.Parse(
            json.Replace('\'', '"').Replace("HASH", Hash).Replace("OTHER", Hash.Replace('0', '1')), out _);
        Assert.Contains(errors, error => error.Contains(expected.Replace('\'', '"')) || error.Contains(expected));
    }
}
