using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stricture.Cli.Output;

/// <summary>What --json prints: the server's JSON answer as it is, with the attempt count added; or a local failure in the same shape.</summary>
public static class JsonReport
{
    // Relaxed escaping: a message's quotes and a URL's '&' stay readable.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The answer's JSON object with "attempts" added; a body that is not an object is kept under "body".</summary>
    public static string WithAttempts(byte[] body, int status, int attempts)
    {
        JsonObject report;
        try
        {
            report = JsonNode.Parse(body) as JsonObject ?? new JsonObject { ["status"] = status, ["body"] = JsonNode.Parse(body) };
        }
        catch (JsonException)
        {
            report = new JsonObject { ["status"] = status, ["body"] = System.Text.Encoding.UTF8.GetString(body) };
        }
        report["attempts"] = attempts;
        return report.ToJsonString(Compact);
    }

    /// <summary>A failure the server did not answer: what happened, the exit code, and the attempts made (0 before any request).</summary>
    public static string Failure(string message, int exitCode, int attempts) =>
        new JsonObject { ["error"] = message, ["exit_code"] = exitCode, ["attempts"] = attempts }.ToJsonString(Compact);
}
