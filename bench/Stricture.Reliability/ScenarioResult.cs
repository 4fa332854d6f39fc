using System.Text;

namespace Stricture.Reliability;

/// <summary>One scenario's figures, as a markdown table, and what went wrong (empty when it held).</summary>
internal sealed record ScenarioResult(string Title, IReadOnlyList<(string Measure, string Value)> Rows, IReadOnlyList<string> Failures)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"### {Title}").AppendLine();
        text.AppendLine("| measure | value |").AppendLine("| --- | --- |");
        foreach (var (measure, value) in Rows)
        {
            text.AppendLine($"| {measure} | {value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ")} |");
        }
        text.AppendLine().AppendLine(Failures.Count == 0 ? "Result: **held** (nothing lost, torn or refused imprecisely)." : "Result: **FAILED**:");
        foreach (var failure in Failures.Take(20))
        {
            text.AppendLine($"- {failure.ReplaceLineEndings(" ")}");
        }
        return text.AppendLine().ToString();
    }
}
