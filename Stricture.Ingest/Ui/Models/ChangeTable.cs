using Stricture.Storage.Drift;

namespace Stricture.Ingest.Ui.Models;

/// <summary>
/// The run page's changes table as the query string asks for it: sorted by severity (highest first
/// by default), field or change type, ascending or descending, filtered to one change type and to
/// fields containing a text. Sorting is a link per column, so it works without script.
/// </summary>
public sealed record ChangeTable(IReadOnlyList<ChangeRow> Rows, string Sort, bool Descending, string? Type, string? Field)
{
    public const string BySeverity = "severity";
    public const string ByField = "field";
    public const string ByType = "type";

    public static readonly IReadOnlyList<string> Sorts = [BySeverity, ByField, ByType];

    public static ChangeTable From(IReadOnlyList<ChangeRow> changes, string? sort, string? direction, string? type, string? field)
    {
        var by = Sorts.Contains(sort) ? sort! : BySeverity;
        // Severity reads best highest first; names read best A to Z.
        var descending = direction is null ? by == BySeverity : direction == "desc";
        var kept = changes.Where(change => (string.IsNullOrEmpty(type) || change.ChangeType == type) &&
                                           (string.IsNullOrEmpty(field) || change.FieldId.Contains(field, StringComparison.OrdinalIgnoreCase)));
        Func<ChangeRow, IComparable> key = by switch
        {
            ByField => change => change.FieldId,
            ByType => change => change.ChangeType,
            _ => change => DriftSeverity.Rank(change.Severity),
        };
        var ordered = descending ? kept.OrderByDescending(key) : kept.OrderBy(key);
        // Ties keep upstream's reading order: field, then change type.
        var rows = ordered.ThenBy(change => change.FieldId, StringComparer.Ordinal).ThenBy(change => change.ChangeType, StringComparer.Ordinal).ToList();
        return new ChangeTable(rows, by, descending, string.IsNullOrEmpty(type) ? null : type, string.IsNullOrEmpty(field) ? null : field);
    }

    /// <summary>The direction a click on <paramref name="column"/>'s header asks for: the other one when it is the current sort.</summary>
    public string NextDirection(string column) => column == Sort ? (Descending ? "asc" : "desc") : (column == BySeverity ? "desc" : "asc");

    /// <summary>aria-sort of a column header.</summary>
    public string AriaSort(string column) => column != Sort ? "none" : Descending ? "descending" : "ascending";
}
