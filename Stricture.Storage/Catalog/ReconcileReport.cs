namespace Stricture.Storage.Catalog;

/// <summary>What a reconcile found and repaired.</summary>
public sealed class ReconcileReport
{
    public int Services { get; set; }
    public int Days { get; set; }
    public int Runs { get; set; }
    public int EntriesAdded { get; set; }
    public int PointersMoved { get; set; }
    /// <summary>Records that failed their integrity check or are not valid envelopes (logged, left out).</summary>
    public int Unreadable { get; set; }
    public TimeSpan Elapsed { get; set; }
}
