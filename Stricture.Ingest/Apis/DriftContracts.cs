using System.Globalization;
using System.Text.Json.Serialization;
using Stricture.Storage.Drift;

namespace Stricture.Ingest.Apis;

/// <summary>
/// A run's drift summary as answers show it: the changes of its diff by severity (counted from
/// <c>changes[]</c>, or from the diff's <c>summary</c> when it has no <c>changes</c>: see
/// <c>basis</c>), severities upstream does not define counted apart, and the first changes, highest
/// severity first. Null in an answer means the run had no diff.
/// </summary>
public sealed record DriftResponse(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("high")] int High,
    [property: JsonPropertyName("medium")] int Medium,
    [property: JsonPropertyName("low")] int Low,
    [property: JsonPropertyName("info")] int Info,
    [property: JsonPropertyName("unrecognized")] IReadOnlyDictionary<string, int> Unrecognized,
    [property: JsonPropertyName("overridden")] int Overridden,
    [property: JsonPropertyName("basis")] string Basis,
    [property: JsonPropertyName("summary_disagreed")] bool SummaryDisagreed,
    [property: JsonPropertyName("first_changes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<DriftChangeResponse>? FirstChanges)
{
    /// <summary>
    /// The summary with its first changes at or above <paramref name="atOrAbove"/> (all of them when
    /// null), or with none when <paramref name="withChanges"/> is false (listings of many services).
    /// </summary>
    public static DriftResponse From(DriftSummary drift, string? atOrAbove = null, bool withChanges = true) =>
        new(drift.Total, drift.High, drift.Medium, drift.Low, drift.Info, drift.Unrecognized, drift.Overridden, drift.Basis,
            drift.SummaryDisagreed,
            withChanges
                ? drift.FirstChanges
                    .Where(change => atOrAbove is null || DriftSeverity.Rank(change.Severity) >= DriftSeverity.Rank(atOrAbove))
                    .Select(DriftChangeResponse.From)
                    .ToList()
                : null);

    public static DriftResponse? FromNullable(DriftSummary? drift) => drift is null ? null : From(drift);

    /// <summary>
    /// The counts as a structured-field dictionary (RFC 8941) for the <c>Stricture-Drift</c> header of
    /// answers whose body is the stored envelope itself, which cannot carry them.
    /// </summary>
    public static string Header(DriftSummary drift) =>
        string.Create(CultureInfo.InvariantCulture,
            $"total={drift.Total}, high={drift.High}, medium={drift.Medium}, low={drift.Low}, info={drift.Info}, " +
            $"unrecognized={drift.Unrecognized.Values.Sum()}");
}

/// <summary>One change of a run's diff: the field, the kind of change, its severity and message, and whether it was overridden.</summary>
public sealed record DriftChangeResponse(
    [property: JsonPropertyName("field_id")] string FieldId,
    [property: JsonPropertyName("change_type")] string ChangeType,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("overridden")] bool Overridden)
{
    public static DriftChangeResponse From(DriftChange change) =>
        new(change.FieldId, change.ChangeType, change.Severity, change.Message, change.Overridden);
}
