using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Stricture.Tests.Discovery;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.BlastRadius.BlastRadiusScenario;

namespace Stricture.Tests.BlastRadius;

/// <summary>Impact and gate through the real HTTP pipeline on the filesystem driver, with a policy directory.</summary>
public sealed class BlastRadiusApiTests : IDisposable
{
    private readonly TestDirectory _policies = new();

    public BlastRadiusApiTests() =>
        File.WriteAllText(Path.Combine(_policies.Path, "acme.yaml"), "schema_version: 1\npolicy_id: acme-release\ngate:\n  fail_on: high\n  mode: block\n");

    private IngestServer Start() => IngestServer.Start(
        new Dictionary<string, string?> { ["STRICTURE_SERVER_POLICY_DIR"] = _policies.Path }, new FakeTimeProvider(OrgScenario.Now));

    private static async Task PostIndexedAsync(HttpClient client)
    {
        foreach (var post in new[]
                 {
                     Post(Gateway, "g1", "2026-11-21T08:00:00Z", GatewayExport()),
                     Post(Ledger, "l1", "2026-11-21T08:30:00Z", LedgerExport()),
                     Post(Core, "c1", "2026-11-21T09:00:00Z", CoreExport()),
                 })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(post)).StatusCode);
        }
    }

    [Fact]
    public async Task A_run_whose_high_change_reaches_other_services_is_stored_and_blocked_with_its_reasons_and_impacted_services()
    {
        await using var server = Start();
        await PostIndexedAsync(server.Client);

        var response = await server.Client.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem))));
        var body = await response.JsonBodyAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var gate = body.GetProperty("gate");
        Assert.Equal(("block", "high", "block", "acme-release"),
            (gate.GetProperty("decision").GetString(), gate.GetProperty("fail_on").GetString(), gate.GetProperty("mode").GetString(), gate.GetProperty("policy_id").GetString()));
        Assert.Contains("consumed by 1 other service", gate.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        var impact = body.GetProperty("impact");
        Assert.Equal("downstream", impact.GetProperty("scope").GetString());
        var field = impact.GetProperty("services")[0].GetProperty("fields")[0];
        Assert.Equal("pagerduty:storefront-oncall", field.GetProperty("escalation").GetString());

        // The run is stored whatever the decision, and its answers carry it.
        var latest = await server.Client.GetAsync("/v1/runs/acme/commerce/core/latest");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal("decision=block, findings=1, fail-on=high, mode=block", latest.Headers.GetValues("Stricture-Gate").Single());
        Assert.Equal("scope=downstream, services=1, downstream=1, self-only=0, unknown=0", latest.Headers.GetValues("Stricture-Impact").Single());
        Assert.Equal("decision=block, findings=1, fail-on=high, mode=block",
            (await server.Client.GetAsync("/v1/runs/acme/commerce/core/c2")).Headers.GetValues("Stricture-Gate").Single());
        var listing = await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/commerce/core?from=2026-11-21&to=2026-11-22");
        Assert.Equal(["block", "pass"], listing.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("gate").GetProperty("decision").GetString()));
        Assert.Equal(JsonValueKind.Null, listing.GetProperty("runs")[1].GetProperty("impact").ValueKind);

        // What the commit produced says the same, in the service and across the organization.
        var byCommit = await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/commerce/core?commit=0123456");
        Assert.Equal(["block", "pass"], byCommit.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("gate").GetProperty("decision").GetString()));
        var ofCommit = await OrgScenario.GetJsonAsync(server.Client, "/v1/commits/0123456?organization=acme&project=commerce");
        var c2 = ofCommit.GetProperty("runs").EnumerateArray().Single(run => run.GetProperty("run_id").GetString() == "c2");
        Assert.Equal(("block", "high", "downstream"),
            (c2.GetProperty("gate").GetProperty("decision").GetString(), c2.GetProperty("gate").GetProperty("fail_on").GetString(),
                c2.GetProperty("impact").GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task Listings_name_the_impacted_services_and_the_assessment_endpoint_answers_their_fields_as_the_202_did()
    {
        await using var server = Start();
        await PostIndexedAsync(server.Client);
        var posted = await (await server.Client.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem))))).JsonBodyAsync();

        // Every listing line carries the scope, the counts and which services (with the run judged against), not their fields.
        var listed = new[]
        {
            (await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/commerce/core?from=2026-11-22&to=2026-11-22")).GetProperty("runs")[0],
            (await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/drift")).GetProperty("runs")[0],
            (await OrgScenario.GetJsonAsync(server.Client, "/v1/commits/0123456?organization=acme")).GetProperty("runs").EnumerateArray()
                .Single(run => run.GetProperty("run_id").GetString() == "c2"),
        };
        foreach (var impact in listed.Select(run => run.GetProperty("impact")))
        {
            Assert.Equal(("downstream", 1), (impact.GetProperty("scope").GetString(), impact.GetProperty("downstream").GetInt32()));
            var service = impact.GetProperty("services").EnumerateArray().Single();
            Assert.Equal(("storefront", "gateway", "g1", 0),
                (service.GetProperty("project").GetString(), service.GetProperty("service").GetString(), service.GetProperty("run_id").GetString(),
                    service.GetProperty("fields").GetArrayLength()));
            Assert.Equal(0, impact.GetProperty("first_changes").GetArrayLength());
        }

        // The whole impact, fields with their owner and escalation, is the run's: answered as the 202 answered it.
        var assessment = await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/commerce/core/c2/assessment");
        Assert.Equal(posted.GetProperty("impact").GetRawText(), assessment.GetProperty("impact").GetRawText());
        Assert.Equal(posted.GetProperty("gate").GetRawText(), assessment.GetProperty("gate").GetRawText());
        Assert.Equal("/v1/runs/acme/commerce/core/c2", assessment.GetProperty("href").GetString());
        var withoutDiff = await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/commerce/core/c1/assessment");
        Assert.Equal((JsonValueKind.Null, "pass"), (withoutDiff.GetProperty("impact").ValueKind, withoutDiff.GetProperty("gate").GetProperty("decision").GetString()));
        var missing = await server.Client.GetAsync("/v1/runs/acme/commerce/core/c9/assessment");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("run-not-found", (await missing.JsonBodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_drift_feed_keeps_only_downstream_impact_when_asked()
    {
        await using var server = Start();
        await PostIndexedAsync(server.Client);
        await server.Client.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(Change("high", "source_system_changed", "response_cart_total", CoreSystem))));
        await server.Client.PostAsync(Post(Core, "c3", "2026-11-22T10:00:00Z", CoreExport(), Diff(Change("high", "break_policy_changed", "response_tax_code", CoreSystem))));

        var all = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/drift");
        var downstream = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/drift?impact=downstream");

        Assert.Equal(["c3", "c2"], all.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()));
        Assert.Equal(["c2"], downstream.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()));
        Assert.Equal("downstream", downstream.GetProperty("impact").GetString());
        Assert.Equal("self_only", all.GetProperty("runs")[0].GetProperty("impact").GetProperty("scope").GetString());
        var bad = await server.Client.GetAsync("/v1/orgs/acme/drift?impact=everyone");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid-impact", (await bad.JsonBodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_policy_endpoint_answers_the_effective_policy_from_the_file_or_the_defaults()
    {
        await using var server = Start();

        var acme = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/policy");
        var globex = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/globex/policy");

        Assert.Equal(("acme-release", "acme.yaml", "high", "block", true, "low"), Policy(acme));
        Assert.Equal(("default", "defaults", "high", "warn", true, "low"), Policy(globex));
    }

    [Fact]
    public async Task A_run_without_a_diff_passes_and_has_no_impact()
    {
        await using var server = Start();

        var body = await (await server.Client.PostAsync(Post(Core, "c1", "2026-11-21T09:00:00Z", CoreExport()))).JsonBodyAsync();

        Assert.Equal(JsonValueKind.Null, body.GetProperty("impact").ValueKind);
        Assert.Equal("pass", body.GetProperty("gate").GetProperty("decision").GetString());
        Assert.Equal(0, body.GetProperty("gate").GetProperty("reasons").GetArrayLength());
    }

    [Fact]
    public async Task With_the_blast_radius_off_a_run_that_would_block_is_stored_without_impact_or_gate_findings_and_nothing_is_indexed()
    {
        await using var server = IngestServer.Start(
            new Dictionary<string, string?> { ["STRICTURE_SERVER_POLICY_DIR"] = _policies.Path, ["STRICTURE_SERVER_BLAST_RADIUS"] = "off" },
            new FakeTimeProvider(OrgScenario.Now));
        await PostIndexedAsync(server.Client);

        var response = await server.Client.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem))));
        var body = await response.JsonBodyAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("impact").ValueKind);
        Assert.Equal(("pass", 0), (body.GetProperty("gate").GetProperty("decision").GetString(), body.GetProperty("gate").GetProperty("reasons").GetArrayLength()));
        // The drift is still recorded: only the blast radius and the gate are left out.
        Assert.Equal(1, body.GetProperty("drift").GetProperty("high").GetInt32());
        Assert.False(Directory.Exists(server.PathOf("stricture/v1/org=acme/blast")), "with the blast radius off, ingest must not write the index");
    }

    private static (string?, string?, string?, string?, bool, string?) Policy(JsonElement answer)
    {
        var policy = answer.GetProperty("policy");
        return (policy.GetProperty("policy_id").GetString(), policy.GetProperty("source").GetString(), policy.GetProperty("fail_on").GetString(),
            policy.GetProperty("mode").GetString(), policy.GetProperty("require_downstream_impact").GetBoolean(), policy.GetProperty("unknown_impact_severity").GetString());
    }

    public void Dispose() => _policies.Dispose();
}
