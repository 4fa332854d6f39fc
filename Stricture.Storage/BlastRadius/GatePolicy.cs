using System.Text.Json.Serialization;
using Stricture.Storage.Drift;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// An organization's gate policy: the parts of upstream's draft policy pack that apply to a server
/// (<c>findings.require_downstream_impact</c>, <c>findings.unknown_impact_severity</c>,
/// <c>severity_overrides</c>) and <c>gate.fail_on</c> / <c>gate.mode</c> with the meanings of
/// upstream's <c>strict lineage-diff --fail-on --mode</c>. <see cref="Defaults"/> apply to an
/// organization without a policy file.
/// </summary>
public sealed record GatePolicy(
    [property: JsonPropertyName("policy_id")] string PolicyId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("fail_on")] string FailOn,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("require_downstream_impact")] bool RequireDownstreamImpact,
    [property: JsonPropertyName("unknown_impact_severity")] string UnknownImpactSeverity,
    [property: JsonPropertyName("severity_overrides")] IReadOnlyDictionary<string, string> SeverityOverrides)
{
    public const string None = "none";
    public const string Block = "block";
    public const string Warn = "warn";
    public const string DefaultsSource = "defaults";

    public static readonly IReadOnlyList<string> FailOnValues = [DriftSeverity.High, DriftSeverity.Medium, DriftSeverity.Low, DriftSeverity.Info, None];
    public static readonly IReadOnlyList<string> Modes = [Block, Warn];

    public static readonly GatePolicy Defaults = new(
        "default", DefaultsSource, DriftSeverity.High, Warn, RequireDownstreamImpact: true, DriftSeverity.Low,
        new SortedDictionary<string, string>(StringComparer.Ordinal));
}

/// <summary>Where the server finds each organization's policy (the policy directory, or the defaults).</summary>
public interface IGatePolicySource
{
    GatePolicy For(string organization);
}

/// <summary>Every organization gets the defaults: the source when no policy directory is configured.</summary>
public sealed class DefaultGatePolicies : IGatePolicySource
{
    public GatePolicy For(string organization) => GatePolicy.Defaults;
}
