using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Cli;

/// <summary>stricture push --oidc in a GitHub Actions job: the runner's token endpoint, the server's JWT mode.</summary>
public sealed class OidcPushTests
{
    [Fact]
    public async Task An_OIDC_push_from_GitHub_Actions_is_accepted_by_the_servers_jwt_mode()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var tokens = await GitHubTokenEndpoint.StartAsync(issuer, AuthTestSupport.GitHubClaims("Acme/Checkout"));
        await using var server = IngestServer.Start(AuthTestSupport.GitHubSettings(issuer));
        var job = GitHubJob(attempt: "1");
        job["ACTIONS_ID_TOKEN_REQUEST_URL"] = tokens.RequestUrl;
        job["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = GitHubTokenEndpoint.RequestToken;

        var push = await StrictureTool.RunAsync(["push", "--server", server.BaseAddress.ToString(), "--oidc",
            "--organization", "acme", "--project", "checkout", "--service", "payments-api", "--artifact", CliFixtures.Artifact], job);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.StartsWith("accepted: run gh-4242-1 at ", push.Stdout);
        Assert.Equal([AuthTestSupport.Audience], tokens.AudiencesRequested);
        var audit = Assert.Single(await AuthTestSupport.ReadAuditAsync(server, expected: 1));
        Assert.Equal(issuer.Issuer + "#repo:Acme/Checkout:ref:refs/heads/main", audit.GetProperty("principal").GetString());
    }

    [Fact]
    public async Task OIDC_without_id_token_permission_exits_4_with_what_to_add_before_any_request()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var server = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

            var push = await StrictureTool.RunAsync(["push", "--server", server, "--oidc", "--organization", "acme",
                "--project", "checkout", "--service", "payments-api", "--artifact", CliFixtures.Artifact], GitHubJob(attempt: "1"));

            Assert.True(push.ExitCode == 4, push.ToString());
            Assert.Contains("add `permissions: id-token: write`", push.Stderr);
            Assert.False(listener.Pending(), "without a credential nothing may be sent");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task In_GitHub_Actions_a_re_push_in_the_same_attempt_is_already_stored_and_a_re_run_is_a_new_run()
    {
        await using var server = IngestServer.Start();
        string[] arguments = ["push", "--server", server.BaseAddress.ToString(), "--organization", "acme", "--project", "checkout",
            "--service", "payments-api", "--artifact", CliFixtures.Artifact, "--json"];

        var first = await StrictureTool.RunAsync(arguments, GitHubJob(attempt: "1"));
        var sameAttempt = await StrictureTool.RunAsync(arguments, GitHubJob(attempt: "1"));
        var reRun = await StrictureTool.RunAsync(arguments, GitHubJob(attempt: "2"));

        var (a, b, c) = (Answer(first), Answer(sameAttempt), Answer(reRun));
        Assert.Equal(("gh-4242-1", true), (a.GetProperty("run_id").GetString(), a.GetProperty("created").GetBoolean()));
        Assert.Equal(("gh-4242-1", false), (b.GetProperty("run_id").GetString(), b.GetProperty("created").GetBoolean()));
        Assert.Equal(("gh-4242-2", true), (c.GetProperty("run_id").GetString(), c.GetProperty("created").GetBoolean()));

        // The CI's commit and links come along without options.
        var envelope = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf(a.GetProperty("location").GetString()!))).RootElement;
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", envelope.GetProperty("commit_sha").GetString());
        var metadata = envelope.GetProperty("metadata");
        Assert.Equal("github-actions", metadata.GetProperty("ci").GetString());
        Assert.Equal("Acme/Checkout", metadata.GetProperty("repository").GetString());
        Assert.Equal("main", metadata.GetProperty("branch").GetString());
        Assert.Equal("https://github.com/Acme/Checkout/actions/runs/4242/attempts/1", metadata.GetProperty("pipeline_url").GetString());
    }

    private static JsonElement Answer(StrictureTool.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    /// <summary>The variables a GitHub Actions runner sets for a job of run 4242 of Acme/Checkout on main.</summary>
    private static Dictionary<string, string> GitHubJob(string attempt) => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_RUN_ATTEMPT"] = attempt,
        ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
        ["GITHUB_REPOSITORY"] = "Acme/Checkout",
        ["GITHUB_REF_NAME"] = "main",
        ["GITHUB_SERVER_URL"] = "https://github.com",
    };
}
