using System.Globalization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Drift;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stricture.Ingest.Policy;

/// <summary>
/// Reads one organization's policy file: upstream's draft policy-pack shape where it applies
/// (<c>schema_version</c>, <c>policy_id</c>, <c>lineage.findings.require_downstream_impact</c>,
/// <c>lineage.findings.unknown_impact_severity</c>, <c>lineage.severity_overrides</c>) plus
/// <c>gate.fail_on</c> and <c>gate.mode</c>. Keys upstream defines for local tools
/// (<c>lineage.require</c>, <c>lineage.defaults</c>, <c>extends</c>, the other <c>findings</c>) are
/// accepted and ignored, so one pack serves both; any other key, or a value of the wrong kind, is an
/// error naming its line, so a typo never silently changes a gate.
/// </summary>
internal static class PolicyFile
{
    private static readonly string[] TopKeys = ["schema_version", "policy_id", "extends", "lineage", "gate"];
    private static readonly string[] LineageKeys = ["require", "defaults", "findings", "severity_overrides"];
    private static readonly string[] FindingsKeys = ["require_downstream_impact", "unknown_impact_severity", "self_only", "flow_criticality"];
    private static readonly string[] GateKeys = ["fail_on", "mode"];
    private static readonly string[] Severities = [DriftSeverity.High, DriftSeverity.Medium, DriftSeverity.Low, DriftSeverity.Info];

    /// <summary>The policy in <paramref name="text"/>, or the first problem as "line N: what is wrong".</summary>
    public static (GatePolicy? Policy, string? Problem) Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException invalid)
        {
            return (null, $"line {invalid.Start.Line}: not valid YAML ({invalid.Message})");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (null, "line 1: a policy file is one YAML mapping (schema_version, policy_id, lineage, gate)");
        }
        try
        {
            return (Read(root, source), null);
        }
        catch (PolicyException problem)
        {
            return (null, $"line {problem.Line}: {problem.Message}");
        }
    }

    private static GatePolicy Read(YamlMappingNode root, string source)
    {
        CheckKeys(root, TopKeys, "");
        var policy = GatePolicy.Defaults with { Source = source, SeverityOverrides = new SortedDictionary<string, string>(StringComparer.Ordinal) };
        if (Child(root, "schema_version") is { } version && Scalar(version, "schema_version") != "1")
        {
            throw new PolicyException(version, "schema_version must be 1");
        }
        if (Child(root, "policy_id") is { } id)
        {
            policy = policy with { PolicyId = NonEmpty(id, "policy_id") };
        }
        if (Child(root, "lineage") is { } lineageNode)
        {
            var lineage = Mapping(lineageNode, "lineage");
            CheckKeys(lineage, LineageKeys, "lineage.");
            if (Child(lineage, "findings") is { } findingsNode)
            {
                var findings = Mapping(findingsNode, "lineage.findings");
                CheckKeys(findings, FindingsKeys, "lineage.findings.");
                if (Child(findings, "require_downstream_impact") is { } require)
                {
                    policy = policy with { RequireDownstreamImpact = Boolean(require, "lineage.findings.require_downstream_impact") };
                }
                if (Child(findings, "unknown_impact_severity") is { } unknown)
                {
                    policy = policy with { UnknownImpactSeverity = OneOf(unknown, "lineage.findings.unknown_impact_severity", Severities) };
                }
            }
            if (Child(lineage, "severity_overrides") is { } overridesNode)
            {
                var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in Mapping(overridesNode, "lineage.severity_overrides").Children)
                {
                    var changeType = NonEmpty(key, "a change type in lineage.severity_overrides");
                    overrides[changeType] = OneOf(value, $"lineage.severity_overrides.{changeType}", Severities);
                }
                policy = policy with { SeverityOverrides = overrides };
            }
        }
        if (Child(root, "gate") is { } gateNode)
        {
            var gate = Mapping(gateNode, "gate");
            CheckKeys(gate, GateKeys, "gate.");
            if (Child(gate, "fail_on") is { } failOn)
            {
                policy = policy with { FailOn = OneOf(failOn, "gate.fail_on", GatePolicy.FailOnValues) };
            }
            if (Child(gate, "mode") is { } mode)
            {
                policy = policy with { Mode = OneOf(mode, "gate.mode", GatePolicy.Modes) };
            }
        }
        return policy;
    }

    private static void CheckKeys(YamlMappingNode mapping, string[] known, string prefix)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "";
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw new PolicyException(key, $"'{prefix}{name}' is not a policy setting; here they are: {string.Join(", ", known.Select(k => prefix + k))}");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode mapping, string name) =>
        mapping.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;

    private static YamlMappingNode Mapping(YamlNode node, string name) =>
        node as YamlMappingNode ?? throw new PolicyException(node, $"{name} must be a mapping");

    private static string Scalar(YamlNode node, string name) =>
        node is YamlScalarNode { Value: { } value } ? value.Trim() : throw new PolicyException(node, $"{name} must be a single value");

    private static string NonEmpty(YamlNode node, string name) =>
        Scalar(node, name) is { Length: > 0 } value ? value : throw new PolicyException(node, $"{name} must not be empty");

    private static bool Boolean(YamlNode node, string name) => Scalar(node, name) switch
    {
        "true" => true,
        "false" => false,
        var other => throw new PolicyException(node, $"{name} must be true or false, not '{other}'"),
    };

    private static string OneOf(YamlNode node, string name, IReadOnlyList<string> allowed)
    {
        var value = Scalar(node, name);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new PolicyException(node, $"{name} must be one of {string.Join(", ", allowed)}, not '{value}'");
    }

    private sealed class PolicyException(YamlNode node, string message) : Exception(message)
    {
        public string Line { get; } = node.Start.Line.ToString(CultureInfo.InvariantCulture);
    }
}
