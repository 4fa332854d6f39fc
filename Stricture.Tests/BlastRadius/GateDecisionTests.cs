using Stricture.Storage.BlastRadius;

namespace Stricture.Tests.BlastRadius;

/// <summary>The gate's decision for each policy setting, as upstream's lineage-diff --fail-on --mode decides over impact-gated findings.</summary>
public sealed class GateDecisionTests
{
    private static readonly ClassifiedChange DownstreamHigh = new("response_cart_total", "source_system_changed", "high", false, "CommerceCore:api-service", ImpactScope.Downstream, 2);
    private static readonly ClassifiedChange DownstreamMedium = new("response_cart_currency", "transform_type_changed", "medium", false, "CommerceCore:api-service", ImpactScope.Downstream, 1);
    private static readonly ClassifiedChange SelfOnlyHigh = new("response_tax_code", "break_policy_changed", "high", false, "CommerceCore:api-service", ImpactScope.SelfOnly, 0);
    private static readonly ClassifiedChange UnknownHigh = new("response_legacy_discount", "field_removed", "high", false, null, ImpactScope.Unknown, 0);
    private static readonly ClassifiedChange OverriddenHigh = DownstreamHigh with { Overridden = true };

    public static TheoryData<string, string, string, string> Settings => new()
    {
        // policy (fail_on/mode/require_downstream_impact/unknown_impact_severity/override), changes, expected decision, why
        { "high/warn/true/low/-", "downstream-high", "warn", "the defaults warn on high downstream drift" },
        { "high/block/true/low/-", "downstream-high", "block", "block mode turns the same finding into a block" },
        { "high/block/true/low/-", "downstream-medium", "pass", "medium is below fail_on high" },
        { "medium/block/true/low/-", "downstream-medium", "block", "fail_on medium catches medium" },
        { "none/block/true/low/-", "downstream-high", "pass", "fail_on none never fails, as upstream's" },
        { "high/block/true/low/-", "self-only-high", "pass", "self-only drift is a change event, not a finding, by default" },
        { "high/block/false/low/-", "self-only-high", "block", "require_downstream_impact false makes self-only drift a finding" },
        { "high/block/true/low/-", "unknown-high", "pass", "unknown impact is a low finding by default, below fail_on high" },
        { "low/block/true/low/-", "unknown-high", "block", "fail_on low catches the low unknown-impact finding" },
        { "high/block/true/high/-", "unknown-high", "block", "unknown_impact_severity high raises it" },
        { "high/block/true/low/transform_type_changed=high", "downstream-medium", "block", "severity_overrides raise a change type" },
        { "high/block/true/low/source_system_changed=low", "downstream-high", "pass", "severity_overrides lower a change type" },
        { "info/block/true/low/-", "overridden-high", "pass", "an overridden change is never a finding" },
        { "high/warn/true/low/-", "none", "pass", "a diff without changes passes" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_gate_decides_per_policy_setting(string policy, string changes, string expected, string why)
    {
        var parts = policy.Split('/');
        var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (parts[4] != "-")
        {
            overrides[parts[4].Split('=')[0]] = parts[4].Split('=')[1];
        }
        var gatePolicy = GatePolicy.Defaults with
        {
            FailOn = parts[0],
            Mode = parts[1],
            RequireDownstreamImpact = bool.Parse(parts[2]),
            UnknownImpactSeverity = parts[3],
            SeverityOverrides = overrides,
        };
        ClassifiedChange[] classified = changes switch
        {
            "downstream-high" => [DownstreamHigh],
            "downstream-medium" => [DownstreamMedium],
            "self-only-high" => [SelfOnlyHigh],
            "unknown-high" => [UnknownHigh],
            "overridden-high" => [OverriddenHigh],
            _ => [],
        };

        var decision = GateDecision.Evaluate(gatePolicy, classified);

        Assert.True(decision.Decision == expected, $"{why}: expected {expected}, got {decision.Decision} ({string.Join("; ", decision.Reasons)})");
        Assert.True((decision.Decision == GateDecision.Pass) == (decision.Reasons.Count == 0), "a warn or block gives its reasons, a pass none");
    }

    [Fact]
    public void A_blocking_reason_names_the_change_the_system_and_how_many_services_it_reaches()
    {
        var decision = GateDecision.Evaluate(GatePolicy.Defaults with { Mode = GatePolicy.Block }, [DownstreamHigh]);

        Assert.Equal("source_system_changed on response_cart_total of CommerceCore:api-service: high finding (consumed by 2 other services) at or above fail_on high",
            decision.Reasons.Single());
    }
}
