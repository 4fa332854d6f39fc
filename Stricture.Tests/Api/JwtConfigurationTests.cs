using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>The server process refuses to start on a wrong or unsafe JWT or token-file setting, and says which and why.</summary>
public sealed class JwtConfigurationTests
{
    private const string Issuer0 = "STRICTURE_SERVER_JWT_ISSUERS__0__";

    public static TheoryData<string, string, string> Refusals => new()
    {
        // setting=value;setting=value (environment variables, as an operator sets them), a phrase the refusal must contain, why
        { "STRICTURE_SERVER_AUTH_MODE=jwt", "needs at least one trusted issuer", "jwt mode without issuers" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}PROVIDER=github;{Issuer0}AUDIENCE=stricture",
          $"{Issuer0}ALLOWED_ORGANIZATIONS is required for GitHub", "GitHub without an owner allow-list" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=http://login.example.com;{Issuer0}AUDIENCE=stricture;{Issuer0}SCOPES=acme/*",
          $"{Issuer0}ISSUER must be an https URL", "a plain-http issuer beyond loopback" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=https://login.example.com;{Issuer0}AUDIENCE=stricture;{Issuer0}SCOPES=acme/*;{Issuer0}JWKS_URL=http://keys.example.com/jwks",
          $"{Issuer0}JWKS_URL must be an https URL", "a plain-http key set beyond loopback" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=https://login.example.com;{Issuer0}AUDIANCE=stricture;{Issuer0}SCOPES=acme/*",
          $"{Issuer0}AUDIANCE is not a setting of a trusted issuer", "a misspelt issuer setting" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=https://login.example.com;{Issuer0}SCOPES=acme/*",
          $"{Issuer0}AUDIENCE is required", "an issuer without an audience" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=https://login.example.com;{Issuer0}AUDIENCE=stricture",
          "grants no scopes", "an issuer that grants nothing" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}PROVIDER=okta;{Issuer0}ISSUER=https://login.example.com",
          $"{Issuer0}PROVIDER must be one of", "an unknown provider" },
        { $"STRICTURE_SERVER_AUTH_MODE=token;STRICTURE_SERVER_INGEST_TOKEN=primary-token-0123456789abcdef;{Issuer0}ISSUER=https://login.example.com",
          "accepts no JWTs", "issuers that token mode would ignore" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}PROVIDER=github;{Issuer0}AUDIENCE=stricture;{Issuer0}ALLOWED_ORGANIZATIONS=acme;STRICTURE_SERVER_JWT_CLOCK_SKEW_SECONDS=900",
          "STRICTURE_SERVER_JWT_CLOCK_SKEW_SECONDS must be a whole number from 0 to 300", "an unbounded clock skew" },
        { "STRICTURE_SERVER_AUTH_MODE=token;STRICTURE_SERVER_TOKEN_FILE=/nonexistent/tokens.json", "STRICTURE_SERVER_TOKEN_FILE '/nonexistent/tokens.json' cannot be used", "a missing token file" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_server_process_refuses_to_start_and_names_the_setting(string settings, string message, string because)
    {
        using var data = new TestDirectory();
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, environment);
        Assert.True(exitCode != 0, $"{because}: the process must exit non-zero; it printed:\n{output}");
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task A_token_file_holding_a_token_instead_of_its_hash_is_refused()
    {
        using var data = new TestDirectory();
        var file = Path.Combine(data.Path, "tokens.json");
        await File.WriteAllTextAsync(file,
            """{ "tokens": [ { "id": "ci", "sha256": "my-plaintext-token-0123456789", "scopes": ["acme/*"], "expires": "2030-01-01T00:00:00Z" } ] }""");

        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_TOKEN_FILE"] = file,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("tokens[0].sha256 must be the 64 hexadecimal characters of the token's SHA-256", output);
        Assert.DoesNotContain("my-plaintext-token-0123456789", output);
    }

    [Fact]
    public async Task Issuers_configured_through_environment_variables_are_trusted()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        using var data = new TestDirectory();
        await using var process = await ServiceProcess.StartIngestAsync(data.Path, new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "jwt",
            [Issuer0 + "PROVIDER"] = "github",
            [Issuer0 + "ISSUER"] = issuer.Issuer,
            [Issuer0 + "AUDIENCE"] = AuthTestSupport.Audience,
            [Issuer0 + "ALLOWED_ORGANIZATIONS"] = "acme",
        });
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", issuer.Mint(AuthTestSupport.Audience, AuthTestSupport.GitHubClaims()));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync(Posts.Valid())).StatusCode);
    }
}
