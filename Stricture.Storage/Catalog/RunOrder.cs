namespace Stricture.Storage.Catalog;

/// <summary>
/// The one order of runs, used for manifest lines, "latest" and query pages: by when the run
/// happened (generated_at, else received_at), ties broken by run_id. It agrees with the date
/// partition, which is the date of that same instant, so the latest run is always in the newest
/// day's manifest.
/// </summary>
public sealed class RunOrder : IComparer<ManifestEntry>
{
    public static readonly RunOrder Instance = new();

    public int Compare(ManifestEntry? x, ManifestEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        return Compare(x.OccurredAt, x.RunId, y.OccurredAt, y.RunId);
    }

    public static int Compare(string occurredAtX, string runIdX, string occurredAtY, string runIdY)
    {
        var byTime = string.CompareOrdinal(occurredAtX, occurredAtY);
        return byTime != 0 ? byTime : string.CompareOrdinal(runIdX, runIdY);
    }
}
