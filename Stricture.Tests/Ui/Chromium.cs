using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Stricture.Tests.Ui;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromedriver at fixed paths (eng/test.sh
/// installs chromium-driver). Both paths are explicit so that Selenium never runs selenium-manager,
/// which would try to download a browser or driver: nothing can be downloaded here.
/// </summary>
public static class Chromium
{
    public const string DriverDirectory = "/usr/bin";
    public const string DriverFile = "chromedriver";
    public const string Browser = "/usr/bin/chromium";

    /// <summary>The size of every screenshot in docs/ui.md.</summary>
    public static readonly Size Window = new(1280, 800);

    public static ChromeDriver Start()
    {
        var driverPath = Path.Combine(DriverDirectory, DriverFile);
        Assert.True(File.Exists(driverPath), $"{driverPath} is missing: run eng/test.sh, which installs Debian's chromium-driver, or apt-get install chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverFile);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        // --no-sandbox: the tests run as root (in CI and in these sandboxes), and chromium refuses to
        // start its sandbox as root. The pages it loads are this test's own, on loopback.
        // --disable-dev-shm-usage: a container's /dev/shm is often too small for the renderer.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            $"--window-size={Window.Width},{Window.Height}", "--hide-scrollbars", "--force-device-scale-factor=1");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        // --window-size sizes the window, not the page: grow the window by what its frame takes, so the page is exactly 1280x800.
        var inner = (long)driver.ExecuteScript("return window.innerHeight")!;
        driver.Manage().Window.Size = new Size(Window.Width, Window.Height + (Window.Height - (int)inner));
        return driver;
    }

    /// <summary>Saves what the browser shows, at <see cref="Window"/>, as TestResults/ui-screenshots/<paramref name="name"/>.png.</summary>
    public static string SaveScreenshot(IWebDriver driver, string name)
    {
        var directory = Infrastructure.Repository.Path("TestResults", "ui-screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        return path;
    }
}
