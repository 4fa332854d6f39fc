using System.Text;
using System.Text.RegularExpressions;

namespace Stricture.Tests.Function;

/// <summary>
/// Server mode and function mode answer every case of the parity table alike: the same status,
/// the same headers a client acts on, the same body, and the same objects stored under the same
/// keys. The only differences allowed are what is generated per record (received_at, and the
/// SHA-256 and ETag that cover it; the run id generated for a post without one) and per request
/// (the problem's traceId).
/// </summary>
public sealed partial class ParityTests(ParityModes modes) : IClassFixture<ParityModes>
{
    /// <summary>The headers a client acts on; transport headers (Date, Content-Length, Transfer-Encoding) are the edge's.</summary>
    private static readonly string[] ComparedHeaders =
        ["Content-Type", "Content-Encoding", "ETag", "Cache-Control", "Vary", "Content-Location", "Location", "Retry-After", "WWW-Authenticate", "Allow"];

    [Theory]
    [MemberData(nameof(ParityCases.Names), MemberType = typeof(ParityCases))]
    public Task Function_mode_answers_like_the_server(string name) =>
        AnswerAlikeAsync(modes, ParityCases.All.Single(c => c.Name == name));

    /// <summary>Runs one case in both modes and compares what a client sees and what each stored.</summary>
    internal static async Task AnswerAlikeAsync(ParityModes modes, ParityCase parity)
    {
        var server = await RunAsync(modes, Mode.Server, parity);
        var function = await RunAsync(modes, Mode.Function, parity);

        Assert.True(parity.Status == server.Status, $"server mode answered {server.Status}, not {parity.Status}: {Encoding.UTF8.GetString(server.Body)}");
        Assert.True(parity.Status == function.Status, $"function mode answered {function.Status}, not {parity.Status}: {Encoding.UTF8.GetString(function.Body)}");
        foreach (var header in ComparedHeaders)
        {
            Assert.True(Normalize(server.Header(header)) == Normalize(function.Header(header)),
                $"{header}: server '{server.Header(header)}', function '{function.Header(header)}'");
        }
        Assert.Equal(Normalize(Encoding.UTF8.GetString(server.Body)), Normalize(Encoding.UTF8.GetString(function.Body)));

        if (parity.Expect is { } expected)
        {
            foreach (var (mode, answer) in new[] { ("server", server), ("function", function) })
            {
                var seen = $"{Encoding.UTF8.GetString(answer.Body)}\nStricture-Gate: {answer.Header("Stricture-Gate")}";
                Assert.True(seen.Contains(expected, StringComparison.Ordinal), $"{mode} mode's answer must contain {expected}: {seen}");
            }
        }

        var serverStored = await modes.StoredAsync(Mode.Server, parity.Service);
        var functionStored = await modes.StoredAsync(Mode.Function, parity.Service);
        Assert.Equal(serverStored.Keys.Select(Normalize), functionStored.Keys.Select(Normalize));
        foreach (var ((key, serverBytes), functionBytes) in serverStored.Zip(functionStored.Values))
        {
            var (serverText, functionText) = (Normalize(Encoding.UTF8.GetString(serverBytes)), Normalize(Encoding.UTF8.GetString(functionBytes)));
            Assert.True(serverText == functionText, $"the object at '{key}' differs between the modes:\nserver:   {serverText}\nfunction: {functionText}");
        }
        if (parity.Status == 202)
        {
            Assert.True(serverStored.Keys.Any(key => key.Contains("/runs/run=", StringComparison.Ordinal)), "an accepted post must be stored");
        }
    }

    private static async Task<CapturedResponse> RunAsync(ParityModes modes, Mode mode, ParityCase parity)
    {
        var scene = new ParityScene(modes.OtherOrganization.Secret);
        foreach (var setup in parity.Setup)
        {
            scene.Responses.Add(await modes.SendAsync(mode, setup(scene)));
        }
        return await modes.SendAsync(mode, parity.Request(scene));
    }

    /// <summary>Masks what is generated per record or per request; everything else must match byte for byte.</summary>
    private static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }
        text = TraceId().Replace(text, "\"traceId\":\"<trace-id>\"");
        text = ReceivedAt().Replace(text, "\"received_at\":\"<received-at>\"");
        text = Sha256().Replace(text, "<sha256>");
        return GeneratedRunId().Replace(text, "<generated-run-id>");
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    [GeneratedRegex("\"received_at\":\"[^\"]*\"")]
    private static partial Regex ReceivedAt();

    [GeneratedRegex(@"\b[0-9a-f]{64}\b")]
    private static partial Regex Sha256();

    /// <summary>A UUIDv7 in hex: the run id generated for a post without one.</summary>
    [GeneratedRegex(@"\b[0-9a-f]{32}\b")]
    private static partial Regex GeneratedRunId();
}
