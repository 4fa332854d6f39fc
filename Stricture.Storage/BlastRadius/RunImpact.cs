using System.Text.Json.Serialization;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// A run's blast radius: the widest scope of its diff's changes, how many changes fell in each, the
/// services whose fields consume what changed (with each field's owner and escalation), and the
/// first changes with their scope. Lists are bounded whatever the diff's size.
/// </summary>
public sealed record RunImpact(
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("downstream")] int Downstream,
    [property: JsonPropertyName("self_only")] int SelfOnly,
    [property: JsonPropertyName("unknown")] int Unknown,
    [property: JsonPropertyName("services")] IReadOnlyList<ImpactedService> Services,
    [property: JsonPropertyName("first_changes")] IReadOnlyList<ClassifiedChange> FirstChanges)
{
    public const int ServicesLimit = 50;
    public const int FieldsPerServiceLimit = 20;
    public const int FirstChangesLimit = 20;

    /// <summary>The scope and counts alone, for the services listing (one line per service).</summary>
    public RunImpact Brief() => this with { Services = [], FirstChanges = [] };

    /// <summary>
    /// The scope, the counts and which services are impacted (each with the run it was judged
    /// against), without their fields or the first changes: what the catalog's lines keep (a day's
    /// manifest, <c>latest.json</c>, the drift and commit indexes). A line is then at most about 4 KB
    /// of impact whatever the diff, where the whole can hold 50 services of 20 fields each; and every
    /// compaction that copies a line copies that much. The whole stays in the run index entry, read
    /// by <c>GET …/{run_id}/assessment</c>.
    /// </summary>
    public RunImpact Listed() => this with
    {
        Services = Services.All(service => service.Fields.Count == 0) ? Services : [.. Services.Select(service => service with { Fields = [] })],
        FirstChanges = [],
    };
}

/// <summary>A service whose latest export consumes something the run changed, and which of its fields do.</summary>
public sealed record ImpactedService(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("fields")] IReadOnlyList<ImpactedField> Fields);

/// <summary>A consuming field: which system it reads (and where the source says, which target and path), its owner and escalation.</summary>
public sealed record ImpactedField(
    [property: JsonPropertyName("field_id")] string FieldId,
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("escalation")] string Escalation,
    [property: JsonPropertyName("changed_field_id")] string ChangedFieldId);

/// <summary>One change of the diff with the system it impacts and its scope; consumers counts the services it reaches.</summary>
public sealed record ClassifiedChange(
    [property: JsonPropertyName("field_id")] string FieldId,
    [property: JsonPropertyName("change_type")] string ChangeType,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("overridden")] bool Overridden,
    [property: JsonPropertyName("system")] string? System,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("consumers")] int Consumers);
