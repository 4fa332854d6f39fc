using System.Globalization;
using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;

namespace Stricture.Ingest.Apis;

/// <summary>
/// A run's gate as answers show it: the decision (pass, warn or block) and why; for a run with a
/// diff, also the policy settings it was decided under when it was accepted. A run without a diff
/// changes nothing and always passes.
/// </summary>
public sealed record GateResponse(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons,
    [property: JsonPropertyName("fail_on"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailOn = null,
    [property: JsonPropertyName("mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mode = null,
    [property: JsonPropertyName("policy_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PolicyId = null)
{
    public static readonly GateResponse NoDiff = new(GateDecision.Pass, []);

    public static GateResponse From(GateDecision? gate) =>
        gate is null ? NoDiff : new(gate.Decision, gate.Reasons, gate.FailOn, gate.Mode, gate.PolicyId);

    /// <summary>The decision as a structured-field dictionary (RFC 8941) for the <c>Stricture-Gate</c> header of envelope answers.</summary>
    public static string Header(GateDecision? gate) =>
        gate is null
            ? "decision=pass, findings=0"
            : string.Create(CultureInfo.InvariantCulture, $"decision={gate.Decision}, findings={gate.Reasons.Count}, fail-on={gate.FailOn}, mode={gate.Mode}");

    /// <summary>The impact's scope and counts as a structured-field dictionary for the <c>Stricture-Impact</c> header.</summary>
    public static string ImpactHeader(RunImpact impact) =>
        string.Create(CultureInfo.InvariantCulture,
            $"scope={impact.Scope}, services={impact.Services.Count}, downstream={impact.Downstream}, self-only={impact.SelfOnly}, unknown={impact.Unknown}");
}

/// <summary>The 200 body of GET /v1/orgs/{organization}/policy: the policy the gate applies to the organization's runs now.</summary>
public sealed record PolicyResponse(
    [property: JsonPropertyName("organization")] string Organization,
    [property: JsonPropertyName("policy")] GatePolicy Policy);
