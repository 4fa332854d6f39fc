using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>
/// The opening lines of a one-table scenario's report (batch, discovery, ui): its title with the date,
/// the command and code it measured, the machine, and the load average before and after, which say
/// how much of the machine the run had.
/// </summary>
internal static class ReportHeading
{
    public static void Append(StringBuilder report, string title, DateTimeOffset date, string command, string code, MachineInfo machine, LoadAverage loadAtStart)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"## {title} ({date:yyyy-MM-dd HH:mm} UTC)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- command: `{command}`; code: `{code}`");
        report.AppendLine(CultureInfo.InvariantCulture, $"- machine: {machine.Cpus} CPUs ({machine.CpuModel}), {machine.MemoryGiB:0.0} GiB, {machine.Runtime}, data on {machine.Filesystem}");
        report.AppendLine(CultureInfo.InvariantCulture, $"- load average at start: {loadAtStart}; at the end: {LoadAverage.Read()}");
    }
}
