using System.Text;
using Stricture.Cli;
using Stricture.Cli.Push;

namespace Stricture.Tests.Cli;

/// <summary>--timeout as CI files write it, and gzip only when it makes the body smaller.</summary>
public sealed class DurationAndBodyTests
{
    [Theory]
    [InlineData("2m", 120)]
    [InlineData("90s", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("500ms", 0.5)]
    [InlineData("45", 45)]
    public void A_timeout_is_read_as_people_write_it(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var duration), text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("2 weeks")]
    [InlineData("-5s")]
    [InlineData("0")]
    public void A_timeout_that_is_not_a_positive_duration_is_refused(string text) =>
        Assert.False(Duration.TryParse(text, out _), text);

    [Fact]
    public void A_body_that_gzip_would_not_shrink_is_sent_as_it_is()
    {
        var tiny = Encoding.UTF8.GetBytes("{\"a\":1}");

        var body = RequestBody.For(tiny);

        Assert.False(body.Gzip, "gzip adds 18 bytes of framing to 7 bytes of JSON");
        Assert.Equal(tiny, body.Bytes);
        Assert.Empty(body.ToContent().Headers.ContentEncoding);
    }
}
