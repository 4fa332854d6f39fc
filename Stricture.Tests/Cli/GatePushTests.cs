using System.Net;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.BlastRadius.BlastRadiusScenario;

namespace Stricture.Tests.Cli;

/// <summary>stricture push --gate, run as a process against a real server whose organization policy blocks high downstream drift.</summary>
public sealed class GatePushTests : IDisposable
{
    private readonly TestDirectory _files = new();

    public GatePushTests()
    {
        Directory.CreateDirectory(Path.Combine(_files.Path, "policies"));
        File.WriteAllText(Path.Combine(_files.Path, "policies", "acme.yaml"), "policy_id: acme-release\ngate:\n  fail_on: high\n  mode: block\n");
        File.WriteAllText(Export, CoreExport().ToJsonString());
    }

    private string Export => Path.Combine(_files.Path, "current.json");

    private async Task<IngestServer> StartWithConsumerAsync()
    {
        var server = IngestServer.Start(new Dictionary<string, string?> { ["STRICTURE_SERVER_POLICY_DIR"] = Path.Combine(_files.Path, "policies") });
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync(Post(Gateway, "g1", "2026-11-21T08:00:00Z", GatewayExport()))).StatusCode);
        return server;
    }

    private string DiffFile(string name, params System.Text.Json.Nodes.JsonObject[] changes)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllText(path, Diff(changes).ToJsonString());
        return path;
    }

    [Fact]
    public async Task A_blocked_run_exits_6_printing_the_reasons_and_the_impacted_services_with_their_escalation()
    {
        await using var server = await StartWithConsumerAsync();
        var diff = DiffFile("diff.json", Change("high", "source_system_changed", "response_cart_total", CoreSystem));

        var push = await StrictureTool.RunAsync(StrictureTool.PushFile(server.BaseAddress, "run-1", Export, "--diff", diff, "--gate"));

        Assert.True(push.ExitCode == 6, $"a block must exit 6: {push}");
        Assert.Contains("gate: block (fail_on high, mode block, policy acme-release)", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("reason: source_system_changed on response_cart_total of CommerceCore:api-service", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("impacted service: storefront/gateway", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("response_checkout_total reads CommerceCore:api-service (response_cart_total changed): owner team.storefront, escalation pagerduty:storefront-oncall",
            push.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("accepted: run run-1", push.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_the_gate_passes_exits_0_and_without_gate_a_blocked_run_exits_0_too()
    {
        await using var server = await StartWithConsumerAsync();
        var selfOnly = DiffFile("self.json", Change("high", "break_policy_changed", "response_tax_code", CoreSystem));
        var downstream = DiffFile("downstream.json", Change("high", "source_system_changed", "response_cart_total", CoreSystem));

        var passed = await StrictureTool.RunAsync(StrictureTool.PushFile(server.BaseAddress, "run-1", Export, "--diff", selfOnly, "--gate"));
        var ungated = await StrictureTool.RunAsync(StrictureTool.PushFile(server.BaseAddress, "run-2", Export, "--diff", downstream));

        Assert.True(passed.ExitCode == 0, $"self-only drift passes the gate: {passed}");
        Assert.Contains("gate: pass", passed.Stdout, StringComparison.Ordinal);
        Assert.True(ungated.ExitCode == 0, $"without --gate the decision does not fail the step: {ungated}");
    }

    public void Dispose() => _files.Dispose();
}
