using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>
/// Compares a presented bearer token with the configured shared tokens in constant time. Both
/// sides are hashed first, so the comparison takes the same time whatever the lengths, and the
/// configured tokens are kept only as hashes.
/// </summary>
internal sealed class SharedTokenMatcher
{
    private readonly byte[]? _primary;
    private readonly byte[]? _secondary;

    public SharedTokenMatcher(IOptions<AuthOptions> options)
    {
        _primary = Hash(options.Value.IngestToken);
        _secondary = Hash(options.Value.IngestTokenSecondary);
    }

    /// <returns>The principal name of the matching token, or null.</returns>
    public string? Match(string presented)
    {
        var hash = Hash(presented)!;
        // Evaluate both comparisons every time: which token matched must not show in the timing.
        var primary = _primary is not null && CryptographicOperations.FixedTimeEquals(hash, _primary);
        var secondary = _secondary is not null && CryptographicOperations.FixedTimeEquals(hash, _secondary);
        return primary ? IngestPrincipal.PrimaryToken : secondary ? IngestPrincipal.SecondaryToken : null;
    }

    private static byte[]? Hash(string? token) => token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
