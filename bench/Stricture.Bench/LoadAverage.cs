using System.Globalization;

namespace Stricture.Bench;

/// <summary>
/// The 1, 5 and 15 minute load averages from /proc/loadavg: on a shared machine they say whether
/// other work was competing for the cores while the numbers were taken.
/// </summary>
internal sealed record LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public static LoadAverage Read()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        double At(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
        return new LoadAverage(At(0), At(1), At(2));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} / {FiveMinutes:0.00} / {FifteenMinutes:0.00}");
}
