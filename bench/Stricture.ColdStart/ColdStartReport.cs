using System.Globalization;
using System.Text;

namespace Stricture.ColdStart;

/// <summary>
/// One measured series: which binary, which invocation, its cold starts in run order, and the bare
/// app's series it is compared with (null for a baseline itself).
/// </summary>
internal sealed record ColdStartSeries(string Variant, string App, string Invocation, List<ColdStartTime> Times, ColdStartSeries? Baseline = null)
{
    public TimeSpan MedianAnswered => Median(Times.Select(t => t.Answered));

    public TimeSpan MedianInitialised => Median(Times.Select(t => t.Initialised));

    public TimeSpan MedianCpu => Median(Times.Select(t => t.Cpu));

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>The markdown block docs/benchmarks.md records: per variant, the bare app and Stricture side by side.</summary>
internal static class ColdStartReport
{
    public static string ToMarkdown(IReadOnlyList<ColdStartSeries> series, string command, string machine, int rounds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: `{command}`; {rounds} cold starts per row, interleaved; {machine}.");
        text.AppendLine();
        text.AppendLine("| variant | app | first invocation | init done (median) | first response (median) | min | max | CPU to first response (median) | vs bare: response | vs bare: CPU |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in series)
        {
            var comparison = row.Baseline is { } baseline
                ? string.Create(CultureInfo.InvariantCulture, $"{row.MedianAnswered / baseline.MedianAnswered:0.00}× | {row.MedianCpu / baseline.MedianCpu:0.00}×")
                : "baseline | baseline";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Variant} | {row.App} | {row.Invocation} | {Ms(row.MedianInitialised)} | {Ms(row.MedianAnswered)} | " +
                $"{Ms(row.Times.Min(t => t.Answered))} | {Ms(row.Times.Max(t => t.Answered))} | {Ms(row.MedianCpu)} | {comparison} |");
        }
        return text.ToString();
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
