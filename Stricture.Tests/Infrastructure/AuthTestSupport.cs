using System.Text.Json;

namespace Stricture.Tests.Infrastructure;

/// <summary>Settings and requests shared by the authentication tests.</summary>
public static class AuthTestSupport
{
    public const string Audience = "stricture";

    /// <summary>An issuer section as the server reads it (STRICTURE_SERVER_JWT_ISSUERS__&lt;name&gt;__&lt;key&gt; in the environment).</summary>
    public static string IssuerSetting(string name, string key) => $"STRICTURE_SERVER_JWT_ISSUERS:{name}:{key}";

    /// <summary>jwt mode trusting <paramref name="issuer"/> as GitHub Actions would be trusted, with the owner 'acme' allowed.</summary>
    public static Dictionary<string, string?> GitHubSettings(TestOidcIssuer issuer, string mode = "jwt") => new()
    {
        ["STRICTURE_SERVER_AUTH_MODE"] = mode,
        [IssuerSetting("github", "PROVIDER")] = "github",
        // The preset's issuer is GitHub's; the test's issuer stands in for it on loopback.
        [IssuerSetting("github", "ISSUER")] = issuer.Issuer,
        [IssuerSetting("github", "AUDIENCE")] = Audience,
        [IssuerSetting("github", "ALLOWED_ORGANIZATIONS")] = "acme",
    };

    /// <summary>The claims of a GitHub Actions OIDC token for a workflow of <paramref name="repository"/> on main.</summary>
    public static Dictionary<string, object> GitHubClaims(string repository = "Acme/Checkout")
    {
        var owner = repository[..repository.IndexOf('/')];
        return new Dictionary<string, object>
        {
            ["sub"] = $"repo:{repository}:ref:refs/heads/main",
            ["repository"] = repository,
            ["repository_owner"] = owner,
            ["repository_id"] = "123456789",
            ["repository_owner_id"] = "987654",
            ["ref"] = "refs/heads/main",
            ["sha"] = "0123456789abcdef0123456789abcdef01234567",
            ["workflow"] = "lineage",
            ["event_name"] = "push",
            ["actor"] = "octocat",
            ["run_id"] = "42",
            ["runner_environment"] = "github-hosted",
        };
    }

    public static async Task<HttpResponseMessage> PostWithBearerAsync(this IngestServer server, string? credential, string organization = "acme",
        string project = "checkout", string? runId = null)
    {
        var body = Posts.Valid(runId);
        body["organization"] = organization;
        body["project"] = project;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(body) };
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        }
        return await server.Client.SendAsync(request);
    }

    /// <summary>Asserts a 401 with a Bearer invalid_token challenge and the problem code.</summary>
    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer realm=\"stricture\"", challenge);
        Assert.Contains($"error_description=\"{code}\"", challenge);
        await Problem.AssertAsync(response, code);
    }

    public static string AuditFile(IngestServer server) => Path.Combine(server.DataDirectory, "audit", "audit.jsonl");

    /// <summary>The audit events written so far, waiting briefly for at least <paramref name="expected"/>.</summary>
    public static async Task<List<JsonElement>> ReadAuditAsync(IngestServer server, int expected)
    {
        // The event is written as the response completes; give the server a moment to finish it.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<JsonElement> events;
        do
        {
            events = File.Exists(AuditFile(server))
                ? (await File.ReadAllLinesAsync(AuditFile(server))).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList()
                : [];
        }
        while (events.Count < expected && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));
        return events;
    }
}
