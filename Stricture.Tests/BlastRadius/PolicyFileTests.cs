using Stricture.Ingest.Policy;
using Stricture.Storage.BlastRadius;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.BlastRadius;

/// <summary>Organization policy files: upstream's draft policy-pack shape plus gate, and a refusal naming the file and line for anything else.</summary>
public sealed class PolicyFileTests
{
    private const string UpstreamPack = """
        schema_version: 1
        policy_id: production_standard
        lineage:
          require:
            field_keys: [owner, escalation]
          defaults:
            break_policy: strict
          findings:
            require_downstream_impact: false
            unknown_impact_severity: medium
            flow_criticality:
              enabled: true
              fail_on_level: 1
          severity_overrides:
            missing_required_key: high
            field_added: info
        gate:
          fail_on: medium
          mode: block
        """;

    [Fact]
    public void An_upstream_policy_pack_with_a_gate_reads_as_the_policy_it_states()
    {
        var (policy, problem) = PolicyFile.Parse(UpstreamPack, "acme.yaml");

        Assert.True(problem is null, $"the pack must be read: {problem}");
        Assert.Equal(("production_standard", "medium", "block", false, "medium"),
            (policy!.PolicyId, policy.FailOn, policy.Mode, policy.RequireDownstreamImpact, policy.UnknownImpactSeverity));
        Assert.Equal(["field_added=info", "missing_required_key=high"], policy.SeverityOverrides.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    [Fact]
    public void An_empty_mapping_gives_the_defaults()
    {
        var (policy, _) = PolicyFile.Parse("policy_id: default\n", "acme.yaml");

        Assert.Equal(GatePolicy.Defaults with { Source = "acme.yaml" }, policy! with { SeverityOverrides = GatePolicy.Defaults.SeverityOverrides });
    }

    [Theory]
    [InlineData("gate:\n  fail_on: critical\n", "line 2", "gate.fail_on must be one of high, medium, low, info, none, not 'critical'")]
    [InlineData("gate:\n  mode: block\n  modes: warn\n", "line 3", "'gate.modes' is not a policy setting")]
    [InlineData("schema_version: 1\nlineage:\n  findings:\n    require_downstream_impact: maybe\n", "line 4", "must be true or false, not 'maybe'")]
    [InlineData("lineage:\n  severity_overrides:\n    field_added: urgent\n", "line 3", "lineage.severity_overrides.field_added must be one of high, medium, low, info")]
    [InlineData("schema_version: 2\n", "line 1", "schema_version must be 1")]
    [InlineData("gate: [block]\n", "line 1", "gate must be a mapping")]
    [InlineData("gate:\n  fail_on: high\n   mode: x\n", "line 3", "not valid YAML")]
    public void An_invalid_file_is_refused_with_the_line_and_what_is_wrong(string text, string line, string what)
    {
        var (policy, problem) = PolicyFile.Parse(text, "acme.yaml");

        Assert.Null(policy);
        Assert.True(problem!.StartsWith(line + ":", StringComparison.Ordinal) && problem.Contains(what, StringComparison.Ordinal),
            $"expected '{line}: ...{what}...', got '{problem}'");
    }

    [Fact]
    public void The_directory_gives_each_organization_its_file_and_the_others_the_defaults()
    {
        using var directory = new TestDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "acme.yaml"), UpstreamPack);

        var (policies, problems) = PolicyDirectory.Load(directory.Path);

        Assert.Empty(problems);
        Assert.Equal("block", policies["acme"].Mode);
        Assert.False(policies.ContainsKey("globex"), "an organization without a file has no entry: it gets the defaults");
    }

    [Fact]
    public void A_file_not_named_for_an_organization_is_refused_by_name()
    {
        using var directory = new TestDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "Acme.yml"), UpstreamPack);

        var (_, problems) = PolicyDirectory.Load(directory.Path);

        Assert.True(problems.Single().StartsWith("STRICTURE_SERVER_POLICY_DIR: ", StringComparison.Ordinal) && problems[0].Contains("Acme.yml", StringComparison.Ordinal),
            $"the refusal must name the setting and the file: {problems.Single()}");
    }
}
