using System.Text.Json.Serialization;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// A run's impact and gate decision, decided once, just before the run's record was staged, and
/// kept in the record (in the dated layout, in its claim, <see cref="Records.RunIndexEntry"/>): they
/// depend on the other services' exports at that moment, which no later rebuild can see again, so
/// they are evidence kept, not data derived. A retry answers what the first post was told; reconcile
/// copies the record into the catalog. A run without a diff has no record: its impact is null and its gate a pass.
/// </summary>
public sealed record RunAssessment(
    [property: JsonPropertyName("impact")] RunImpact? Impact,
    [property: JsonPropertyName("gate")] GateDecision Gate);
