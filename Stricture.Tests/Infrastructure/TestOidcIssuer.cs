using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer on loopback: Kestrel on 127.0.0.1 serving the discovery document
/// (/.well-known/openid-configuration), the key set it points to (/jwks, and Cloudflare Access's
/// /cdn-cgi/access/certs), from keys generated in the test. Mints tokens with IdentityModel's
/// JsonWebTokenHandler, as a provider would. Keys can be rotated while it runs.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _requests = new();
    private volatile TestSigningKey[] _published;

    private TestOidcIssuer(WebApplication app, string issuer, TestSigningKey key)
    {
        _app = app;
        Issuer = issuer;
        SigningKey = key;
        _published = [key];
    }

    /// <summary>The issuer URL: what tokens carry as iss and what the server is configured with.</summary>
    public string Issuer { get; }

    /// <summary>The key tokens are signed with unless a test passes another.</summary>
    public TestSigningKey SigningKey { get; private set; }

    /// <summary>How many times the key set has been fetched, from either path.</summary>
    public int KeySetRequests => RequestsTo("/jwks") + RequestsTo(CloudflareCertsPath);

    public const string CloudflareCertsPath = "/cdn-cgi/access/certs";

    public int RequestsTo(string path) => _requests.GetValueOrDefault(path);

    public static async Task<TestOidcIssuer> StartAsync(TestSigningKey? key = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        TestOidcIssuer? issuer = null;
        app.Use((context, next) =>
        {
            issuer!._requests.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, count) => count + 1);
            return next(context);
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(issuer!.DiscoveryDocument(), "application/json"));
        app.MapGet("/jwks", () => issuer!.KeySetDocument());
        app.MapGet(CloudflareCertsPath, () => issuer!.KeySetDocument());
        await app.StartAsync();
        issuer = new TestOidcIssuer(app, app.Urls.Single().TrimEnd('/'), key ?? TestSigningKey.Rsa());
        return issuer;
    }

    /// <summary>Key rotation: publishes <paramref name="keys"/> instead of the current set, and signs with the first.</summary>
    public void Publish(params TestSigningKey[] keys)
    {
        _published = keys;
        SigningKey = keys[0];
    }

    /// <summary>A signed JWT. Lifetime defaults to the last minute to the next 10 minutes.</summary>
    public string Mint(
        string audience,
        IDictionary<string, object>? claims = null,
        TestSigningKey? key = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        string? issuer = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "test-subject" },
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = notBefore is { } validFrom && validFrom < now ? validFrom : now,
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials((key ?? SigningKey).PrivateKey, (key ?? SigningKey).Algorithm),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A token with any header and payload, signed with HMAC-SHA256 under <paramref name="secret"/>, or unsigned.</summary>
    public static string Forge(JsonObject header, JsonObject payload, byte[]? secret)
    {
        var signingInput = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString());
        if (secret is null)
        {
            return signingInput + ".";
        }
        var signature = System.Security.Cryptography.HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>The payload a well-formed token from this issuer would carry.</summary>
    public JsonObject Payload(string audience, string subject = "test-subject") => new()
    {
        ["iss"] = Issuer,
        ["aud"] = audience,
        ["sub"] = subject,
        ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
    };

    private string DiscoveryDocument() => new JsonObject
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = Issuer + "/jwks",
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
    }.ToJsonString();

    private IResult KeySetDocument()
    {
        var keys = new JsonArray(_published.Select(key => (JsonNode)key.PublicJwk.DeepClone()).ToArray());
        return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
