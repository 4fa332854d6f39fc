using System.Text.Json;

namespace Stricture.Cli.Push;

/// <summary>
/// What <c>stricture push --gate</c> prints from a 202 body: the gate's decision and reasons, and
/// the services the run's changes reach with the escalation of each consuming field, so the CI log
/// says who to call before anyone opens the server. Only a <c>block</c> fails the step
/// (<see cref="ExitCodes.GateBlocked"/>); a <c>warn</c> is printed and the step passes.
/// </summary>
internal static class GateReport
{
    public const string Block = "block";

    /// <summary>The decision in the body (pass when the server sent none: an older server has no gate), and the lines to print.</summary>
    public static (string Decision, List<string> Lines) Read(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var lines = new List<string>();
        if (!root.TryGetProperty("gate", out var gate) || gate.ValueKind != JsonValueKind.Object)
        {
            lines.Add("gate: the server gave no gate decision (it predates gates); treating the run as passed");
            return ("pass", lines);
        }
        var decision = Text(gate, "decision") ?? "pass";
        var settings = Text(gate, "fail_on") is { } failOn ? $" (fail_on {failOn}, mode {Text(gate, "mode")}, policy {Text(gate, "policy_id")})" : "";
        lines.Add($"gate: {decision}{settings}");
        if (gate.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
        {
            lines.AddRange(reasons.EnumerateArray().Select(reason => $"  reason: {reason.GetString()}"));
        }
        if (root.TryGetProperty("impact", out var impact) && impact.ValueKind == JsonValueKind.Object)
        {
            lines.Add($"impact: {Text(impact, "scope")}");
            foreach (var service in impact.TryGetProperty("services", out var services) ? services.EnumerateArray() : default)
            {
                lines.Add($"  impacted service: {Text(service, "project")}/{Text(service, "service")}");
                foreach (var field in service.TryGetProperty("fields", out var fields) ? fields.EnumerateArray() : default)
                {
                    var escalation = Text(field, "escalation") is { Length: > 0 } named ? named : "(none named)";
                    var owner = Text(field, "owner") is { Length: > 0 } who ? who : "(none named)";
                    lines.Add($"    {Text(field, "field_id")} reads {Text(field, "system")} ({Text(field, "changed_field_id")} changed): owner {owner}, escalation {escalation}");
                }
            }
        }
        return (decision, lines);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
