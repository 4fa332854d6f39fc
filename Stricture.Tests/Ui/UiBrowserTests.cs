using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Stricture.Ingest.Ui;

namespace Stricture.Tests.Ui;

/// <summary>One seeded token-mode server and one headless chromium for every test of <see cref="UiBrowserTests"/>.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public UiScenario Scenario { get; private set; } = null!;

    public ChromeDriver Driver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scenario = await UiScenario.StartAsync();
        Driver = Chromium.Start();
    }

    public async Task DisposeAsync()
    {
        Driver?.Quit();
        Driver?.Dispose();
        await Scenario.DisposeAsync();
    }
}

/// <summary>
/// The runs browser in a real browser (Debian's chromium through chromedriver): signing in, following
/// links from the organisation to a run, sorting the changes table, the hostile summary, and scopes.
/// Each page it visits is saved as a 1280x800 screenshot under TestResults/ui-screenshots.
/// </summary>
public sealed class UiBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private ChromeDriver Driver => fixture.Driver;

    private UiScenario Scenario => fixture.Scenario;

    [Fact]
    public void A_reader_signs_in_and_follows_links_from_the_organisation_to_a_run()
    {
        // 1. An organisation's address without a session leads to the sign-in form.
        Driver.Manage().Cookies.DeleteAllCookies();
        Open("/ui/orgs/acme");
        Assert.True(Driver.Url.EndsWith(UiPaths.Login, StringComparison.Ordinal), $"without a session the browser must land on the sign-in page, not {Driver.Url}");
        Screenshot("login");

        // 2. Sign in: the start page lists the reader's organisation; the token is in no address.
        SignIn(Scenario.OrganizationReader.Secret);
        Assert.False(Driver.Url.Contains(Scenario.OrganizationReader.Secret, StringComparison.Ordinal), "the token must never appear in a URL");
        Follow(By.LinkText("acme"));

        // 3. The organisation: services, latest runs, drift badges and sparklines.
        Assert.Equal("Organisation acme", Heading());
        Assert.Equal(3, Driver.FindElements(By.CssSelector("#services tbody tr")).Count);
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("#services svg.sparkline path.spark-high")));
        Screenshot("organisation");

        // 4. A service: its drift chart and its runs, newest first.
        Follow(By.CssSelector("#services tbody th a[href='/ui/orgs/acme/checkout/api']"));
        Assert.Equal("Service checkout/api", Heading());
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("figure.chart svg rect.bar-high")));
        var runs = Driver.FindElements(By.CssSelector("#runs li > a")).Select(link => link.Text).ToList();
        Assert.Equal([UiScenario.HostileRun, "a2", "a1"], runs);
        Screenshot("service");

        // 5. A run: its record, its changes and its summary.
        Follow(By.LinkText("a1"));
        Assert.Equal("Run a1", Heading());
        Assert.Equal(7, Driver.FindElements(By.CssSelector("#changes tbody tr")).Count);
        Assert.Contains("0123456789abcdef0123456789abcdef01234567", Driver.FindElement(By.CssSelector("dl.facts")).Text, StringComparison.Ordinal);
        Screenshot("run");
        Driver.ExecuteScript("document.getElementById('changes-heading').scrollIntoView()");
        Screenshot("run-changes");

        // 6. Back to the organisation through the breadcrumb, then its drift feed.
        Follow(By.CssSelector("nav .crumbs a[href='/ui/orgs/acme']"));
        Follow(By.LinkText("Drift feed"));
        Assert.Equal("Drift feed of acme", Heading());
        Assert.Equal([UiScenario.HostileRun, "l2", "w1", "a1"], Driver.FindElements(By.CssSelector("#feed tbody th a")).Select(link => link.Text));
        Screenshot("drift-feed");
    }

    [Fact]
    public void Clicking_the_column_headers_sorts_the_changes_table()
    {
        SignIn(Scenario.OrganizationReader.Secret);
        Open("/ui/orgs/acme/checkout/api/runs/a1");
        Assert.Equal(["high", "high", "high", "medium", "medium", "low", "info"], Column(0));

        Follow(By.LinkText("Field"));
        var ascending = Column(1);
        Follow(By.LinkText("Field"));
        var descending = Column(1);
        Follow(By.LinkText("Severity"));
        var highestFirst = Column(0);
        Follow(By.LinkText("Severity"));
        var lowestFirst = Column(0);

        Assert.Equal(ascending.Order(StringComparer.Ordinal), ascending);
        Assert.Equal(ascending.AsEnumerable().Reverse(), descending);
        Assert.Equal("response_order_total", ascending[0]);
        Assert.Equal(["high", "high", "high", "medium", "medium", "low", "info"], highestFirst);
        Assert.Equal(["info", "low", "medium", "medium", "high", "high", "high"], lowestFirst);
        Assert.Equal("ascending", Driver.FindElement(By.CssSelector("#changes thead th:first-child")).GetAttribute("aria-sort"));
    }

    [Fact]
    public void A_summary_with_script_shows_it_as_text_and_no_alert_opens()
    {
        SignIn(Scenario.OrganizationReader.Secret);
        Open($"/ui/orgs/acme/checkout/api/runs/{UiScenario.HostileRun}");

        var summary = Driver.FindElement(By.Id("summary"));

        Assert.Contains("<script>alert('xss')</script>", summary.Text, StringComparison.Ordinal);
        Assert.Equal("3 high", summary.FindElement(By.TagName("strong")).Text);
        Assert.Empty(summary.FindElements(By.TagName("script")));
        Assert.Empty(summary.FindElements(By.TagName("img")));
        Assert.Throws<NoAlertPresentException>(() => Driver.SwitchTo().Alert());
        Screenshot("run-hostile-summary");
    }

    [Fact]
    public void A_reader_without_a_projects_scope_does_not_see_its_services()
    {
        SignIn(Scenario.CheckoutReader.Secret);
        Open("/ui/orgs/acme");

        var services = Driver.FindElements(By.CssSelector("#services tbody th a")).Select(link => link.Text).ToList();
        var projects = Driver.FindElements(By.CssSelector("#project option")).Select(option => option.Text).ToList();
        Open("/ui/orgs/acme/billing/ledger");

        Assert.Equal(["api", "web"], services);
        Assert.Equal(["All projects", "checkout"], projects);
        Assert.Contains("acme/billing", Driver.FindElement(By.CssSelector(".problem")).Text, StringComparison.Ordinal);
    }

    private void Open(string path) => Driver.Navigate().GoToUrl(new Uri(Scenario.Server.BaseAddress, path));

    private void SignIn(string token)
    {
        Open(UiPaths.Login);
        Driver.Manage().Cookies.DeleteAllCookies();
        Open(UiPaths.Login);
        Driver.FindElement(By.Id("token")).SendKeys(token);
        Follow(By.CssSelector("form.stacked button[type=submit]"));
        Assert.Equal("Runs browser", Heading());
    }

    /// <summary>
    /// Clicks a link or button that loads a page, and waits until the new page has replaced the old one
    /// (a click returns before a form's navigation completes). Bounded, and generous for a busy machine.
    /// </summary>
    private void Follow(By target)
    {
        var previous = Driver.FindElement(By.TagName("html"));
        Driver.FindElement(target).Click();
        new WebDriverWait(Driver, TimeSpan.FromSeconds(60)).Until(_ => IsStale(previous) && Driver.FindElements(By.TagName("h1")).Count > 0);
    }

    private static bool IsStale(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
    }

    private string Heading() => Driver.FindElement(By.TagName("h1")).Text;

    private List<string> Column(int index) =>
        Driver.FindElements(By.CssSelector($"#changes tbody tr td:nth-child({index + 1})")).Select(cell => cell.Text).ToList();

    private void Screenshot(string name)
    {
        var path = Chromium.SaveScreenshot(Driver, name);
        Assert.True(new FileInfo(path).Length > 0, $"the screenshot {path} must not be empty");
    }
}
