using System.Net;
using System.Text.RegularExpressions;
using Stricture.Ingest.Ui;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Ui;

/// <summary>One token-mode server with seeded runs for every test of <see cref="UiHtmlTests"/>.</summary>
public sealed class UiScenarioFixture : IAsyncLifetime
{
    public UiScenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync() => Scenario = await UiScenario.StartAsync();

    public async Task DisposeAsync() => await Scenario.DisposeAsync();
}

/// <summary>The runs browser's HTML over real HTTP, without a browser: headers, markup, escaping, sign-in and scopes.</summary>
public sealed partial class UiHtmlTests(UiScenarioFixture fixture) : IClassFixture<UiScenarioFixture>
{
    private UiScenario Scenario => fixture.Scenario;

    public static TheoryData<string> Pages =>
    [
        "/ui/",
        "/ui/orgs/acme",
        "/ui/orgs/acme?project=billing",
        "/ui/orgs/acme/drift",
        "/ui/orgs/acme/drift?min_severity=high",
        "/ui/orgs/acme/checkout/api",
        "/ui/orgs/acme/checkout/api?from=2026-10-24&to=2026-11-22",
        $"/ui/orgs/acme/checkout/api/runs/{UiScenario.HostileRun}",
        "/ui/orgs/acme/checkout/api/runs/a1?sort=field&dir=asc&type=field_removed",
        "/ui/login",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_is_html_under_the_strict_content_security_policy_with_no_script(string path)
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} must answer 200, was {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(UiSecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("default-src 'none'", UiSecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} shows what a reader's scopes allow: it must not be cached");
        Assert.False(html.Contains("<script", StringComparison.OrdinalIgnoreCase), $"{path} must carry no script element");
        Assert.Contains("<link rel=\"stylesheet\" href=\"/ui/assets/stricture.css\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stylesheet_is_served_from_the_server_itself()
    {
        using var browser = Scenario.Browser(null);

        var response = await browser.GetAsync(UiPaths.Stylesheet);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".sev-high", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_summary_with_script_shows_the_script_as_text_and_loses_its_script_link_and_image()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var html = await browser.GetStringAsync($"/ui/orgs/acme/checkout/api/runs/{UiScenario.HostileRun}");
        var summary = html[html.IndexOf("id=\"summary\"", StringComparison.Ordinal)..];

        Assert.Contains("&lt;script&gt;alert('xss')&lt;/script&gt;", summary, StringComparison.Ordinal);
        Assert.Contains("<strong>3 high</strong>", summary, StringComparison.Ordinal);
        Assert.Contains("<h1>Lineage report</h1>", summary, StringComparison.Ordinal);
        Assert.False(summary.Contains("javascript:", StringComparison.OrdinalIgnoreCase), "a javascript: link must not survive sanitising");
        Assert.False(summary.Contains("<img", StringComparison.OrdinalIgnoreCase), "raw HTML in a summary must not become an element");
    }

    [Fact]
    public async Task The_changes_table_has_a_caption_scoped_column_headers_its_sort_state_and_labelled_filters()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var html = await browser.GetStringAsync("/ui/orgs/acme/checkout/api/runs/a1");

        Assert.Contains("<caption>7 of 7 changes, sorted by severity, descending</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" aria-sort=\"descending\"><a href=", html, StringComparison.Ordinal);
        Assert.Equal(5, Regex.Count(html[html.IndexOf("id=\"changes\"", StringComparison.Ordinal)..], "<th scope=\"col\""));
        Assert.Contains("<label for=\"type\">Change type</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"field\">Field contains</label>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"sev sev-high\">high</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_page_shows_the_gate_decision_and_blast_radius_recorded_when_the_run_was_accepted()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);
        using var api = new HttpClient { BaseAddress = Scenario.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Scenario.OrganizationReader.Secret);

        var html = await browser.GetStringAsync("/ui/orgs/acme/checkout/api/runs/a1");
        var answer = await api.GetAsync("/v1/runs/acme/checkout/api/a1");

        var gate = Regex.Match(answer.Headers.GetValues("Stricture-Gate").Single(), "decision=([a-z]+)").Groups[1].Value;
        var scope = Regex.Match(answer.Headers.GetValues("Stricture-Impact").Single(), "scope=([a-z_]+)").Groups[1].Value;
        Assert.Contains($"<dt>Gate</dt>", html, StringComparison.Ordinal);
        Assert.Contains($"<strong>{gate}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Blast radius</dt>", html, StringComparison.Ordinal);
        Assert.Contains($"<span>{scope}: ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sorting_and_filtering_the_changes_work_from_links_without_script()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var byField = Fields(await browser.GetStringAsync("/ui/orgs/acme/checkout/api/runs/a1?sort=field&dir=asc"));
        var removed = Fields(await browser.GetStringAsync("/ui/orgs/acme/checkout/api/runs/a1?type=field_removed"));
        var total = Fields(await browser.GetStringAsync("/ui/orgs/acme/checkout/api/runs/a1?field=order_total"));

        Assert.Equal(byField.Order(StringComparer.Ordinal), byField);
        Assert.Equal(7, byField.Count);
        Assert.Equal(["response_user_email"], removed);
        Assert.Equal(["response_order_total", "response_order_total"], total);
    }

    [Fact]
    public async Task The_organisation_page_lists_services_with_recent_high_drift_first()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var html = await browser.GetStringAsync("/ui/orgs/acme");

        var order = ServiceLinks().Matches(html).Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(["checkout/api", "checkout/web", "billing/ledger"], order);
        Assert.Contains("<svg class=\"sparkline\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-label=\"30 days to 2026-11-22:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_reader_sees_only_its_projects_services_and_is_refused_the_others()
    {
        using var checkout = Scenario.Browser(Scenario.CheckoutReader);

        var organization = await checkout.GetStringAsync("/ui/orgs/acme");
        var billing = await checkout.GetAsync("/ui/orgs/acme/billing/ledger");
        var billingAsApi = await Scenario.Server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ui/orgs/acme/billing/ledger")
        {
            Headers = { Authorization = new("Bearer", Scenario.CheckoutReader.Secret) },
        });
        using var foreign = Scenario.Browser(Scenario.ForeignReader);
        var foreignPage = await foreign.GetAsync("/ui/orgs/acme");

        Assert.Equal(["checkout/api", "checkout/web"], ServiceLinks().Matches(organization).Select(match => match.Groups[1].Value));
        Assert.False(organization.Contains("billing", StringComparison.Ordinal), "a reader without acme/billing must not even see the project's name");
        Assert.Equal(HttpStatusCode.Forbidden, billing.StatusCode);
        Assert.Contains("missing-scope", await billing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, billingAsApi.StatusCode);
        await Problem.AssertAsync(billingAsApi, "missing-scope");
        Assert.Equal(HttpStatusCode.Forbidden, foreignPage.StatusCode);
    }

    [Fact]
    public async Task A_browser_without_a_credential_is_sent_to_sign_in()
    {
        using var browser = Scenario.Browser(null);

        var response = await browser.GetAsync("/ui/orgs/acme");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/ui/login", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_in_keeps_the_token_only_in_a_protected_http_only_strict_session_cookie()
    {
        using var browser = Scenario.Browser(null);

        var signIn = await browser.PostAsync("/ui/login", new FormUrlEncodedContent([new("token", Scenario.OrganizationReader.Secret)]));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        var pair = cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
        var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ui/orgs/acme") { Headers = { { "Cookie", pair } } });

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/ui/", signIn.Headers.Location?.OriginalString);
        Assert.StartsWith(UiSession.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(cookie.Contains("expires", StringComparison.OrdinalIgnoreCase) || cookie.Contains("max-age", StringComparison.OrdinalIgnoreCase),
            "the cookie must die with the browser session");
        Assert.False(cookie.Contains(Scenario.OrganizationReader.Secret, StringComparison.Ordinal), "the cookie must hold the token protected, not as is");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("checkout", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_signs_the_reader_out_and_says_why()
    {
        using var browser = Scenario.Browser(null);

        var signIn = await browser.PostAsync("/ui/login", new FormUrlEncodedContent([new("token", "not-a-token-this-server-knows")]));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        var page = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ui/orgs/acme")
        {
            Headers = { { "Cookie", cookie[..cookie.IndexOf(';', StringComparison.Ordinal)] } },
        });
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("invalid-token", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"token\">Read token</label>", html, StringComparison.Ordinal);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), header => header.StartsWith(UiSession.CookieName + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_posted_from_another_site_is_refused()
    {
        using var browser = Scenario.Browser(null);
        var request = new HttpRequestMessage(HttpMethod.Post, "/ui/login")
        {
            Content = new FormUrlEncodedContent([new("token", Scenario.OrganizationReader.Secret)]),
            Headers = { { "Origin", "https://attacker.example" } },
        };

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("cross-site-request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"), "a refused sign-in must not set a session");
    }

    [Fact]
    public async Task A_token_too_long_for_a_browser_cookie_is_refused_rather_than_silently_dropped()
    {
        using var browser = Scenario.Browser(null);

        var response = await browser.PostAsync("/ui/login", new FormUrlEncodedContent([new("token", new string('t', 5000))]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("token-too-long", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"), "a refused sign-in must not set a session");
    }

    [Fact]
    public async Task The_payload_download_is_the_stored_record_byte_for_byte()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var download = await browser.GetAsync("/ui/orgs/acme/checkout/api/runs/a1/payload.json");
        var viaApi = await browser.GetAsync("/v1/runs/acme/checkout/api/a1");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("a1.payload.json", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(await viaApi.Content.ReadAsByteArrayAsync(), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_missing_run_is_a_404_page_naming_it()
    {
        using var browser = Scenario.Browser(Scenario.OrganizationReader);

        var response = await browser.GetAsync("/ui/orgs/acme/checkout/api/runs/no-such-run");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("run-not-found", html, StringComparison.Ordinal);
        Assert.Contains("No run &#x27;no-such-run&#x27; is stored", html, StringComparison.Ordinal);
    }

    /// <summary>The field column of the changes table, top to bottom.</summary>
    private static List<string> Fields(string html) =>
        ChangeFields().Matches(html[html.IndexOf("id=\"changes\"", StringComparison.Ordinal)..]).Select(match => match.Groups[1].Value).ToList();

    [GeneratedRegex("<td><code>([a-z_]+)</code></td>")]
    private static partial Regex ChangeFields();

    [GeneratedRegex("<th scope=\"row\"><a href=\"/ui/orgs/acme/([a-z]+/[a-z]+)\">")]
    private static partial Regex ServiceLinks();
}
