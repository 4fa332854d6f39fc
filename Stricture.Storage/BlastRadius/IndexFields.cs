using System.Text.Json.Serialization;

namespace Stricture.Storage.BlastRadius;

/// <summary>A field an export publishes: its id and, where the export gives it, its path (<c>field</c>).</summary>
public sealed record PublishedField(
    [property: JsonPropertyName("field_id")] string FieldId,
    [property: JsonPropertyName("field")] string Field)
{
    public static readonly Comparison<PublishedField> Order = (x, y) => string.CompareOrdinal(x.FieldId, y.FieldId);

    /// <summary>Whether a consumer's reference (a source's path, or its target's member) names this field.</summary>
    public bool IsNamedBy(string reference) => reference == FieldId || (Field.Length > 0 && reference == Field);
}

/// <summary>
/// A field of an export that consumes a system: the field, its owner and escalation, and the source
/// as the export names it (kind, target, path, scope).
/// </summary>
public sealed record ConsumingField(
    [property: JsonPropertyName("field_id")] string FieldId,
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("escalation")] string Escalation,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("scope")] string Scope)
{
    public static readonly Comparison<ConsumingField> Order = (x, y) =>
    {
        var byField = string.CompareOrdinal(x.FieldId, y.FieldId);
        if (byField != 0)
        {
            return byField;
        }
        var byTarget = string.CompareOrdinal(x.Target, y.Target);
        return byTarget != 0 ? byTarget : string.CompareOrdinal(x.Path, y.Path);
    };

    /// <summary>
    /// What the source names inside the system: its path, else the member of its target after the
    /// system's name (<c>CommerceCore.GetCart</c> names <c>GetCart</c>); empty when it names the whole system.
    /// </summary>
    [JsonIgnore]
    public string Reference
    {
        get
        {
            if (Path.Length > 0)
            {
                return Path;
            }
            var dot = Target.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 ? Target[(dot + 1)..] : "";
        }
    }
}
