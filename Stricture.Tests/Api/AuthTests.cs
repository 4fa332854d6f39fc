using System.Net;
using System.Net.Http.Headers;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

public sealed class AuthTests
{
    private const string Primary = "primary-token-0123456789abcdef";
    private const string Secondary = "secondary-token-0123456789abcdef";

    private static Dictionary<string, string?> TokenMode(string? secondary = null) => new()
    {
        ["STRICTURE_SERVER_AUTH_MODE"] = "token",
        ["STRICTURE_SERVER_INGEST_TOKEN"] = Primary,
        ["STRICTURE_SERVER_INGEST_TOKEN_SECONDARY"] = secondary,
    };

    [Fact]
    public async Task Mode_none_on_loopback_accepts_posts_without_a_token()
    {
        await using var server = IngestServer.Start();
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(Posts.Valid())).StatusCode);
    }

    [Fact]
    public async Task Token_mode_accepts_the_primary_token()
    {
        await using var server = IngestServer.Start(TokenMode());
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithTokenAsync(server, Primary)).StatusCode);
    }

    [Fact]
    public async Task Token_mode_accepts_the_secondary_token_during_rotation()
    {
        await using var server = IngestServer.Start(TokenMode(secondary: Secondary));
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithTokenAsync(server, Secondary)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithTokenAsync(server, Primary)).StatusCode);
    }

    [Fact]
    public async Task Without_a_secondary_configured_no_other_token_is_accepted()
    {
        await using var server = IngestServer.Start(TokenMode());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWithTokenAsync(server, Secondary)).StatusCode);
    }

    [Theory]
    [InlineData("wrong-token-0123456789abcdef")]
    [InlineData(Primary + "x")]
    [InlineData("primary-token")]
    [InlineData("")]
    public async Task A_wrong_token_is_a_401_with_a_bearer_challenge(string token)
    {
        await using var server = IngestServer.Start(TokenMode(secondary: Secondary));
        var response = await PostWithTokenAsync(server, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        await Problem.AssertAsync(response);
    }

    [Fact]
    public async Task A_missing_token_is_a_401_with_a_bearer_challenge()
    {
        await using var server = IngestServer.Start(TokenMode());
        var response = await server.Client.PostAsync(Posts.Valid());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await Problem.AssertAsync(response, "missing-token");
    }

    [Fact]
    public async Task Another_scheme_is_a_401()
    {
        await using var server = IngestServer.Start(TokenMode());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("user:pass"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_unauthenticated_post_stores_nothing()
    {
        await using var server = IngestServer.Start(TokenMode());
        await PostWithTokenAsync(server, "wrong-token-0123456789abcdef");
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "stricture")));
    }

    [Theory]
    [InlineData("/v1/runs/acme/checkout/api/latest")]
    [InlineData("/v1/runs/acme/checkout/api")]
    [InlineData("/v1/runs/acme/checkout/api/some-run")]
    public async Task Reads_need_the_same_token_as_ingest(string url)
    {
        await using var server = IngestServer.Start(TokenMode());
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithTokenAsync(server, Primary)).StatusCode);

        var anonymous = await server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Problem.AssertAsync(anonymous, "missing-token");

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Primary);
        var authorized = await server.Client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Unauthorized, authorized.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, authorized.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_need_no_token()
    {
        await using var server = IngestServer.Start(TokenMode());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/alive")).StatusCode);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // setting=value;setting=value, then a phrase the refusal must contain
        { "STRICTURE_SERVER_AUTH_MODE=token", "STRICTURE_SERVER_INGEST_TOKEN", "token mode without a token" },
        { "STRICTURE_SERVER_AUTH_MODE=token;STRICTURE_SERVER_INGEST_TOKEN=short", "at least 16 characters", "a short token" },
        { "STRICTURE_SERVER_AUTH_MODE=magic", "'none', 'token', 'jwt', 'token-or-jwt'", "an unknown mode" },
        { "STRICTURE_SERVER_ADDR=:0", "only on a loopback address", "none on every interface" },
        { "STRICTURE_SERVER_ADDR=0.0.0.0:0", "STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH", "none on 0.0.0.0" },
        { "STRICTURE_SERVER_ADDR=[::]:0", "only on a loopback address", "none on [::]" },
        { "STRICTURE_SERVER_ADDR=example.com:80", "host names other than localhost", "a host name" },
        { "STRICTURE_SERVER_STORAGE_DRIVER=tape", "STRICTURE_SERVER_STORAGE_DRIVER", "an unknown driver" },
        { "STRICTURE_SERVER_MAX_BODY_BYTES=ten", "STRICTURE_SERVER_MAX_BODY_BYTES", "a non-numeric cap" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_server_process_refuses_to_start_on_unsafe_or_invalid_settings_and_says_why(string settings, string message, string because)
    {
        using var data = new TestDirectory();
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, environment);
        Assert.True(exitCode != 0, $"{because}: the process must exit non-zero; it printed:\n{output}");
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task Mode_none_on_a_non_loopback_bind_starts_when_explicitly_allowed()
    {
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_ADDR"] = "0.0.0.0:0",
            ["STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH"] = "true",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseAddress.Port}") };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(Posts.Valid())).StatusCode);
    }

    [Fact]
    public async Task Token_mode_may_bind_every_interface()
    {
        var settings = TokenMode();
        settings["STRICTURE_SERVER_ADDR"] = ":0";
        await using var server = IngestServer.Start(settings);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseAddress.Port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Primary);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(Posts.Valid())).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(IngestServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid()) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await server.Client.SendAsync(request);
    }
}
