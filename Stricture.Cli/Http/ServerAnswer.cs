using System.Net;
using System.Text.Json;

namespace Stricture.Cli.Http;

/// <summary>The final answer to a request after retries: status, body, the headers a command reports, and how many attempts it took.</summary>
public sealed record ServerAnswer(HttpStatusCode Status, byte[] Body, string? ContentLocation, int Attempts)
{
    /// <summary>The problem body's <c>code</c>, when the answer is an RFC 9457 problem with one.</summary>
    public string? ProblemCode => Property("code");

    /// <summary>The problem's <c>detail</c>, else its <c>title</c>.</summary>
    public string? ProblemDetail => Property("detail") ?? Property("title");

    /// <summary>A top-level string property of a JSON object body, or null (no body, not JSON, not a string).</summary>
    public string? Property(string name)
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"409 run-conflict: detail", for messages.</summary>
    public string Describe() =>
        $"{(int)Status} {ProblemCode ?? Status.ToString()}{(ProblemDetail is { } detail ? ": " + detail : "")}";
}
