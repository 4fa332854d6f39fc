using System.Globalization;
using System.Text.Json;
using Stricture.Storage.Identity;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Auth;

/// <summary>One scoped shared token: only the SHA-256 of its value is ever known to the server.</summary>
internal sealed record ScopedToken(string Id, byte[] Sha256, IReadOnlyList<Scope> Scopes, DateTimeOffset Expires);

/// <summary>
/// The scoped-token file (STRICTURE_SERVER_TOKEN_FILE):
/// <code>
/// { "tokens": [ { "id": "checkout-ci", "sha256": "&lt;64 hex&gt;", "scopes": ["acme/checkout"], "expires": "2027-06-30T00:00:00Z" } ] }
/// </code>
/// Every entry must be complete and unambiguous: one mistake rejects the whole file, because a
/// half-read file could silently drop a revocation or widen a grant.
/// </summary>
internal static class ScopedTokenDocument
{
    private static readonly string[] Fields = ["id", "sha256", "scopes", "expires"];

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <returns>Every problem found, each naming the entry; empty when <paramref name="tokens"/> is the file's content.</returns>
    public static List<string> Parse(string json, out IReadOnlyList<ScopedToken> tokens)
    {
        var errors = new List<string>();
        var parsed = new List<ScopedToken>();
        tokens = parsed;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException exception)
        {
            return [$"it is not JSON: {exception.Message}"];
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("tokens", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return ["it must be an object with a \"tokens\" array."];
            }
            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (ParseEntry(entry, $"tokens[{index++}]", errors) is { } token)
                {
                    parsed.Add(token);
                }
            }
        }
        foreach (var duplicate in parsed.GroupBy(t => t.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"the id '{duplicate.Key}' is used by more than one token.");
        }
        foreach (var duplicate in parsed.GroupBy(t => Convert.ToHexStringLower(t.Sha256)).Where(g => g.Count() > 1))
        {
            errors.Add($"the tokens {string.Join(", ", duplicate.Select(t => $"'{t.Id}'"))} have the same sha256.");
        }
        return errors;
    }

    private static ScopedToken? ParseEntry(JsonElement entry, string at, List<string> errors)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at} must be an object with id, sha256, scopes and expires.");
            return null;
        }
        var before = errors.Count;
        foreach (var property in entry.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            errors.Add($"{at}.{property.Name} is not a field of a token; the fields are: {string.Join(", ", Fields)}.");
        }

        var id = String(entry, "id");
        if (id is null || IdentifierGrammar.Explain("id", id) is not null || id is "primary" or "secondary")
        {
            errors.Add($"{at}.id must be a name of lowercase letters, digits, '.', '_' and '-' (not 'primary' or 'secondary'); " +
                       "audit events name the token by it.");
        }
        var hex = String(entry, "sha256");
        byte[]? hash = null;
        if (hex is not { Length: 64 } || !TryHex(hex, out hash))
        {
            errors.Add($"{at}.sha256 must be the 64 hexadecimal characters of the token's SHA-256 " +
                       "(printf %s \"$TOKEN\" | sha256sum), never the token itself.");
        }
        var scopes = new List<Scope>();
        if (!entry.TryGetProperty("scopes", out var scopeArray) || scopeArray.ValueKind != JsonValueKind.Array || scopeArray.GetArrayLength() == 0)
        {
            errors.Add($"{at}.scopes must be a non-empty array of \"organization/project\", \"organization/*\" or \"*\".");
        }
        else
        {
            foreach (var scopeText in scopeArray.EnumerateArray())
            {
                if (scopeText.ValueKind == JsonValueKind.String && Scope.TryParse(scopeText.GetString()!, allowEverything: true, out var scope))
                {
                    scopes.Add(scope);
                }
                else
                {
                    errors.Add($"{at}.scopes: {scopeText.GetRawText()} is not \"organization/project\", \"organization/*\" or \"*\".");
                }
            }
        }
        var expiresText = String(entry, "expires");
        var expires = default(DateTimeOffset);
        if (expiresText is null || !Rfc3339.TryParse(expiresText, out expires))
        {
            errors.Add($"{at}.expires must be an RFC 3339 date-time with a time zone, such as \"2027-06-30T00:00:00Z\"; " +
                       "every scoped token expires.");
        }
        return errors.Count == before ? new ScopedToken(id!, hash!, scopes, expires) : null;
    }

    private static string? String(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }
        return true;
    }
}
