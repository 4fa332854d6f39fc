using System.Net;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Fuzz;

/// <summary>
/// Found by fuzzing: a string escape that is not valid UTF-16 (a lone surrogate such as \ud800) is
/// valid JSON syntax, passed the parser, and then failed the envelope writer with a 500. Wherever it
/// appears it is now a 400 that says what is wrong, and nothing is stored.
/// </summary>
public sealed class LoneSurrogateTests
{
    [Theory]
    [InlineData("artifact value", """{"organization":"acme","project":"checkout","service":"api","artifact":{"s":"\ud800"}}""")]
    [InlineData("artifact member name", """{"organization":"acme","project":"checkout","service":"api","artifact":{"\udc00":1}}""")]
    [InlineData("diff value", """{"organization":"acme","project":"checkout","service":"api","artifact":{},"diff":{"a":["\udfff\ud800"]}}""")]
    [InlineData("summary", """{"organization":"acme","project":"checkout","service":"api","artifact":{},"summary":"\ud83d"}""")]
    [InlineData("identifier", """{"organization":"acme","project":"checkout","service":"\ud800","artifact":{}}""")]
    [InlineData("top-level field name", """{"\ud800":"x","organization":"acme","project":"checkout","service":"api","artifact":{}}""")]
    public async Task A_lone_surrogate_escape_is_a_400_naming_the_problem_and_nothing_is_stored(string where, string post)
    {
        await using var server = IngestServer.Start();

        var response = await server.Client.PostAsync(post);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"a lone surrogate in the {where} must be a 400, got {(int)response.StatusCode}");
        var problem = await response.JsonBodyAsync();
        Assert.Equal("invalid-json", problem.GetProperty("code").GetString());
        Assert.Contains("lone surrogate", problem.GetProperty("detail").GetString());
        var records = Path.Combine(server.DataDirectory, "stricture");
        Assert.False(Directory.Exists(records) && Directory.EnumerateFiles(records, "payload.json", SearchOption.AllDirectories).Any(),
            $"nothing may be stored for a refused post (lone surrogate in the {where})");
    }

    [Fact]
    public async Task A_valid_surrogate_pair_escape_is_stored_as_the_character_it_spells()
    {
        await using var server = IngestServer.Start();

        var response = await server.Client.PostAsync(
            """{"organization":"acme","project":"checkout","service":"api","run_id":"pair","artifact":{"s":"\ud83d\ude80"}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = (await response.JsonBodyAsync()).GetProperty("location").GetString()!;
        using var stored = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf(location)));
        Assert.Equal("🚀", stored.RootElement.GetProperty("artifact").GetProperty("s").GetString());
    }
}
