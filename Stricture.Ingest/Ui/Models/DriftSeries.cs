using Stricture.Storage.Drift;

namespace Stricture.Ingest.Ui.Models;

/// <summary>Changes by severity (high, medium, low) per day, from <see cref="First"/> for <see cref="Days"/> days: what the charts draw.</summary>
public sealed class DriftSeries(DateOnly first, int days)
{
    public DateOnly First { get; } = first;

    public int Days { get; } = days;

    public int[] High { get; } = new int[days];

    public int[] Medium { get; } = new int[days];

    public int[] Low { get; } = new int[days];

    public DateOnly Last => First.AddDays(Days - 1);

    public DateOnly DayAt(int index) => First.AddDays(index);

    public int TotalHigh => High.Sum();

    public int TotalMedium => Medium.Sum();

    public int TotalLow => Low.Sum();

    /// <summary>The largest day's total: the charts' vertical scale.</summary>
    public int PeakDay => Enumerable.Range(0, Days).Select(Total).DefaultIfEmpty(0).Max();

    public int Total(int index) => High[index] + Medium[index] + Low[index];

    /// <summary>Adds a run's counts on its day; a day outside the series is ignored.</summary>
    public void Add(DateOnly day, DriftSummary drift)
    {
        var index = day.DayNumber - First.DayNumber;
        if (index < 0 || index >= Days)
        {
            return;
        }
        High[index] += drift.High;
        Medium[index] += drift.Medium;
        Low[index] += drift.Low;
    }

    /// <summary>Whether a high change happened on any of the series' last <paramref name="days"/> days.</summary>
    public bool HasHighInLast(int days) => High.Skip(Math.Max(0, Days - days)).Any(count => count > 0);

    /// <summary>The day of a run, as its date partition has it: its generated_at (else received_at) date.</summary>
    public static DateOnly DayOf(string occurredAt) => DateOnly.ParseExact(occurredAt.AsSpan(0, 10), "yyyy-MM-dd");
}
