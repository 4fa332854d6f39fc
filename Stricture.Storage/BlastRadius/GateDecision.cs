using System.Text.Json.Serialization;
using Stricture.Storage.Drift;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// What the gate told CI about a run: <c>pass</c>, <c>warn</c> or <c>block</c>, why, and the policy
/// settings it was decided under. The run is stored whatever the decision.
/// </summary>
public sealed record GateDecision(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("fail_on")] string FailOn,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("policy_id")] string PolicyId,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons)
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Block = "block";
    public const int ReasonsLimit = 20;

    /// <summary>
    /// Decides as upstream's <c>ShouldFailAtThresholdWithMode</c> does, over impact-gated findings
    /// (the spec's "Finding vs Change Event Policy"): a downstream change is a finding at its severity
    /// (after <c>severity_overrides</c> by change type); an unknown-impact change is a finding at
    /// <c>unknown_impact_severity</c>; a self-only change is a finding only when
    /// <c>require_downstream_impact</c> is false. Overridden changes are never findings. A finding at or
    /// above <c>fail_on</c> makes the decision <c>mode</c> (block or warn); <c>fail_on: none</c> always passes.
    /// </summary>
    public static GateDecision Evaluate(GatePolicy policy, IReadOnlyList<ClassifiedChange> changes)
    {
        var reasons = new List<string>();
        if (policy.FailOn != GatePolicy.None)
        {
            var threshold = DriftSeverity.Rank(policy.FailOn);
            foreach (var change in changes.Where(change => !change.Overridden))
            {
                var severity = policy.SeverityOverrides.GetValueOrDefault(change.ChangeType) ?? change.Severity;
                var finding = change.Scope switch
                {
                    ImpactScope.Downstream => severity,
                    ImpactScope.Unknown => policy.UnknownImpactSeverity,
                    ImpactScope.SelfOnly when !policy.RequireDownstreamImpact => severity,
                    _ => null,
                };
                if (finding is not null && DriftSeverity.Rank(finding) >= threshold)
                {
                    reasons.Add(Reason(change, finding, policy.FailOn));
                }
            }
        }
        var decision = reasons.Count == 0 ? Pass : policy.Mode == GatePolicy.Block ? Block : Warn;
        var kept = reasons.Count > ReasonsLimit
            ? [.. reasons.Take(ReasonsLimit), $"... and {reasons.Count - ReasonsLimit} more findings at or above {policy.FailOn}"]
            : reasons;
        return new GateDecision(decision, policy.FailOn, policy.Mode, policy.PolicyId, kept);
    }

    /// <summary>A run without a diff changes nothing: it always passes.</summary>
    public static GateDecision NoDiff(GatePolicy policy) => new(Pass, policy.FailOn, policy.Mode, policy.PolicyId, []);

    private static string Reason(ClassifiedChange change, string finding, string failOn)
    {
        var where = change.System is null ? "" : $" of {change.System}";
        var reach = change.Scope switch
        {
            ImpactScope.Downstream => $"consumed by {change.Consumers} other service{(change.Consumers == 1 ? "" : "s")}",
            ImpactScope.Unknown => "impact unknown (external or unpublished system)",
            _ => "no known consumer",
        };
        return $"{change.ChangeType} on {change.FieldId}{where}: {finding} finding ({reach}) at or above fail_on {failOn}";
    }
}
