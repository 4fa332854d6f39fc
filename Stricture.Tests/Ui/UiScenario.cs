using System.Net;
using Microsoft.Extensions.Time.Testing;
using Stricture.Tests.Discovery;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Ui;

/// <summary>
/// A token-mode server with the organisation of <see cref="OrgScenario"/> posted, plus one run whose
/// summary tries to inject script, and three readers: the whole organisation, one project only, and
/// another organisation. Shared by the HTML and the browser tests.
/// </summary>
public sealed class UiScenario : IAsyncDisposable
{
    /// <summary>The hostile summary: raw HTML with script, a script link, and ordinary markdown that must still render.</summary>
    public const string HostileSummary =
        "# Lineage report\n\n<script>alert('xss')</script>\n\n**3 high** changes. [details](javascript:alert('link')) <img src=x onerror=alert('img')>";

    public const string HostileRun = "x1";

    private readonly TokenFile _tokens;

    private UiScenario(TokenFile tokens, IngestServer server, ScopedTestToken organizationReader, ScopedTestToken checkoutReader, ScopedTestToken foreignReader)
    {
        _tokens = tokens;
        Server = server;
        OrganizationReader = organizationReader;
        CheckoutReader = checkoutReader;
        ForeignReader = foreignReader;
    }

    public IngestServer Server { get; }

    public ScopedTestToken OrganizationReader { get; }

    public ScopedTestToken CheckoutReader { get; }

    public ScopedTestToken ForeignReader { get; }

    public static async Task<UiScenario> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var writer = ScopedTestToken.Valid("writer", "acme/*", "globex/*");
        var organization = ScopedTestToken.Valid("acme-reader", "acme/*");
        var checkout = ScopedTestToken.Valid("checkout-reader", "acme/checkout");
        var foreign = ScopedTestToken.Valid("globex-reader", "globex/*");
        var tokens = new TokenFile(writer, organization, checkout, foreign);
        var all = new Dictionary<string, string?> { ["STRICTURE_SERVER_AUTH_MODE"] = "token", ["STRICTURE_SERVER_TOKEN_FILE"] = tokens.Path };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var server = IngestServer.Start(all, time: new FakeTimeProvider(OrgScenario.Now));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", writer.Secret);
        await OrgScenario.PostAllAsync(client);
        var hostile = OrgScenario.Post("acme", "checkout", "api", HostileRun, "2026-11-22T11:00:00Z", "diff-high.json");
        hostile["summary"] = HostileSummary;
        var response = await client.PostAsync("/v1/artifacts", Posts.Json(hostile));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"posting the hostile run must be accepted, was {(int)response.StatusCode}");
        return new UiScenario(tokens, server, organization, checkout, foreign);
    }

    /// <summary>A client that reads pages as a browser asks for them, with a bearer token (null: none).</summary>
    public HttpClient Browser(ScopedTestToken? reader)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        if (reader is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", reader.Secret);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _tokens.Dispose();
    }
}
