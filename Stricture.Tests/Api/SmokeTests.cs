using System.Net;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

public sealed class SmokeTests
{
    [Fact]
    public async Task Healthz_answers_ok()
    {
        await using var server = IngestServer.Start();
        var response = await server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.JsonBodyAsync()).GetProperty("status").GetString());
    }
}
