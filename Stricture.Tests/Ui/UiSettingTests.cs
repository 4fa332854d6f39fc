using System.Net;
using Stricture.Ingest.Ui;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Ui;

/// <summary>STRICTURE_SERVER_UI: on by default for a server, off by default for a function, and a setting turns it off.</summary>
public sealed class UiSettingTests
{
    [Fact]
    public async Task With_the_setting_off_every_ui_address_is_a_404_and_the_api_still_answers()
    {
        await using var server = IngestServer.Start(new Dictionary<string, string?> { [UiOptions.UiSetting] = "off" });

        var page = await server.Client.GetAsync("/ui/");
        var stylesheet = await server.Client.GetAsync(UiPaths.Stylesheet);
        var api = await server.Client.GetAsync("/v1/orgs/acme/services");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        await Problem.AssertAsync(page, "ui-disabled");
        Assert.Equal(HttpStatusCode.NotFound, stylesheet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task A_server_serves_the_runs_browser_when_nothing_is_set()
    {
        await using var server = IngestServer.Start();

        var page = await server.Client.GetAsync("/ui/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(true, null, false)]
    [InlineData(true, "on", true)]
    [InlineData(false, "OFF", false)]
    public void The_default_follows_the_mode_and_the_setting_wins(bool functionMode, string? setting, bool enabled)
    {
        var options = new UiOptions { Mode = setting, FunctionMode = functionMode };

        Assert.True(options.Enabled == enabled, $"function mode {functionMode}, setting '{setting}': the runs browser must be {(enabled ? "on" : "off")}");
    }
}
