using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>A shared token that matched: who it is, what it grants, and until when (null: no expiry).</summary>
internal sealed record SharedTokenMatch(string Principal, IReadOnlyList<Scope> Scopes, DateTimeOffset? Expires);

/// <summary>
/// Compares a presented bearer token with the configured shared tokens in constant time: the
/// unscoped primary and secondary tokens (every scope, no expiry) and the scoped tokens of the
/// token file. Both sides are hashed first, so the comparison takes the same time whatever the
/// lengths, and the server only ever holds hashes.
/// </summary>
internal sealed class SharedTokenMatcher
{
    private readonly byte[]? _primary;
    private readonly byte[]? _secondary;
    private readonly ScopedTokenFile? _file;

    public SharedTokenMatcher(IOptions<AuthOptions> options, ILogger<ScopedTokenFile> fileLogger)
    {
        _primary = Hash(options.Value.IngestToken);
        _secondary = Hash(options.Value.IngestTokenSecondary);
        _file = options.Value.TokenFile is { } path ? new ScopedTokenFile(path, fileLogger) : null;
    }

    public SharedTokenMatch? Match(string presented)
    {
        var hash = Hash(presented)!;
        // Evaluate every comparison every time: which token matched must not show in the timing.
        var primary = _primary is not null && CryptographicOperations.FixedTimeEquals(hash, _primary);
        var secondary = _secondary is not null && CryptographicOperations.FixedTimeEquals(hash, _secondary);
        ScopedToken? scoped = null;
        foreach (var token in _file?.Current() ?? [])
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.Sha256))
            {
                scoped = token;
            }
        }
        return primary ? new SharedTokenMatch(IngestPrincipal.PrimaryToken, [Scope.Everything], null)
            : secondary ? new SharedTokenMatch(IngestPrincipal.SecondaryToken, [Scope.Everything], null)
            : scoped is not null ? new SharedTokenMatch(IngestPrincipal.ScopedToken(scoped.Id), scoped.Scopes, scoped.Expires)
            : null;
    }

    private static byte[]? Hash(string? token) => token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
