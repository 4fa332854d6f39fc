using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Stricture.Tests.Infrastructure;

/// <summary>A scoped-token file (STRICTURE_SERVER_TOKEN_FILE) a test writes and rewrites, as an operator would.</summary>
public sealed class TokenFile : IDisposable
{
    private readonly TestDirectory _directory = new();
    private DateTime _lastWrite = DateTime.UtcNow.AddMinutes(-1);

    public TokenFile(params ScopedTestToken[] tokens) => Write(tokens);

    public string Path => System.IO.Path.Combine(_directory.Path, "tokens.json");

    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Write(params ScopedTestToken[] tokens) => WriteText(new JsonObject
    {
        ["tokens"] = new JsonArray(tokens.Select(token => (JsonNode)new JsonObject
        {
            ["id"] = token.Id,
            ["sha256"] = Sha256(token.Secret),
            ["scopes"] = new JsonArray(token.Scopes.Select(scope => (JsonNode)scope).ToArray()),
            ["expires"] = token.Expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        }).ToArray()),
    }.ToJsonString());

    /// <summary>Replaces the file the safe way: a new file renamed over the old one.</summary>
    public void WriteText(string text)
    {
        var temporary = Path + ".new";
        File.WriteAllText(temporary, text);
        // Each version gets its own modification time, whatever the file system's timestamp granularity.
        _lastWrite = _lastWrite.AddSeconds(1);
        File.SetLastWriteTimeUtc(temporary, _lastWrite);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Delete() => File.Delete(Path);

    public void Dispose() => _directory.Dispose();
}

/// <summary>A scoped token as the test knows it: its secret, which the file only holds as a hash.</summary>
public sealed record ScopedTestToken(string Id, string Secret, string[] Scopes, DateTime Expires)
{
    public static ScopedTestToken Valid(string id, params string[] scopes) =>
        new(id, $"{id}-secret-{Guid.NewGuid():N}", scopes, DateTime.UtcNow.AddDays(30));
}
