using System.Text.Json;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.ObjectStore;
using static Stricture.Tests.BlastRadius.BlastRadiusScenario;

namespace Stricture.Tests.BlastRadius;

/// <summary>
/// Which services a change reaches, across repositories, from each service's latest export: the
/// classification upstream's spec defines (downstream, self_only, unknown), on the filesystem driver.
/// </summary>
public sealed class BlastRadiusTests : IDisposable
{
    private readonly BlastRadiusHarness _harness = new();

    /// <summary>The two consumers and the producer's first export, none with a diff.</summary>
    private async Task IndexTheOrganizationAsync()
    {
        await _harness.PostAsync(Post(Gateway, "g1", "2026-11-21T08:00:00Z", GatewayExport()));
        await _harness.PostAsync(Post(Ledger, "l1", "2026-11-21T08:30:00Z", LedgerExport()));
        await _harness.PostAsync(Post(Core, "c1", "2026-11-21T09:00:00Z", CoreExport()));
    }

    [Fact]
    public async Task A_change_to_a_field_other_services_consume_is_downstream_and_names_their_fields_owners_and_escalations()
    {
        await IndexTheOrganizationAsync();

        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem),
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem),
            Change("medium", "source_version_changed", "response_tax_code", CoreSystem))));

        var impact = result.Assessment!.Impact!;
        Assert.Equal(ImpactScope.Downstream, impact.Scope);
        Assert.True((impact.Downstream, impact.SelfOnly, impact.Unknown) == (2, 1, 0),
            $"the cart total and currency reach consumers and the tax code reaches none, got {impact.Downstream}/{impact.SelfOnly}/{impact.Unknown}");
        Assert.Equal(["finance/ledger", "storefront/gateway"], impact.Services.Select(service => $"{service.Project}/{service.Service}"));
        var gateway = impact.Services.Single(service => service.Service == "gateway").Fields.Single();
        Assert.Equal(("response_checkout_total", CoreSystem, "response.cart_total", "team.storefront", "pagerduty:storefront-oncall", "response_cart_total"),
            (gateway.FieldId, gateway.System, gateway.Path, gateway.Owner, gateway.Escalation, gateway.ChangedFieldId));
        var ledger = impact.Services.Single(service => service.Service == "ledger").Fields.Single();
        Assert.True(ledger is { FieldId: "ledger_entry_currency", Escalation: "slack:#finance-oncall", ChangedFieldId: "response_cart_currency" },
            "the ledger is reached through the cart currency, not the total: its source names that path");
        Assert.Equal(
            ["response_cart_total:downstream:1", "response_cart_currency:downstream:1", "response_tax_code:self_only:0"],
            impact.FirstChanges.Select(change => $"{change.FieldId}:{change.Scope}:{change.Consumers}"));
    }

    [Fact]
    public async Task A_consumer_that_posts_the_same_export_again_rewrites_no_entry_and_is_named_with_its_newest_run()
    {
        await IndexTheOrganizationAsync();
        var entries = Directory.EnumerateFiles(Path.Combine(_harness.DataDirectory, "stricture", "v1", $"org={Organization}", "blast"), "*.json", SearchOption.AllDirectories)
            .Where(path => path.Contains("system=", StringComparison.Ordinal))
            .ToDictionary(path => path, path => new FileInfo(path).LastWriteTimeUtc);
        await Task.Delay(20);

        // The gateway posts a new run with the same export: only its footprint moves to the new run.
        await _harness.PostAsync(Post(Gateway, "g2", "2026-11-22T08:00:00Z", GatewayExport()));
        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem))));

        Assert.NotEmpty(entries);
        Assert.All(entries, entry => Assert.True(new FileInfo(entry.Key).LastWriteTimeUtc == entry.Value, $"{entry.Key} was rewritten though its part did not change"));
        Assert.Equal("g2", result.Assessment!.Impact!.Services.Single(service => service.Service == "gateway").RunId);
    }

    [Fact]
    public async Task A_change_nothing_else_consumes_is_self_only_and_passes_the_default_gate()
    {
        await IndexTheOrganizationAsync();

        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "break_policy_changed", "response_tax_code", CoreSystem))));

        Assert.Equal(ImpactScope.SelfOnly, result.Assessment!.Impact!.Scope);
        Assert.Empty(result.Assessment.Impact.Services);
        Assert.True(result.Assessment.Gate is { Decision: GateDecision.Pass, Reasons.Count: 0 },
            "self-only drift is a tracked change, not a finding, by default: the gate passes");
    }

    [Fact]
    public async Task A_change_to_an_external_system_or_to_a_field_the_server_never_saw_is_unknown()
    {
        await IndexTheOrganizationAsync();

        // The vendor API is read by the gateway alone (scope external) and published by no Stricture service.
        var external = await _harness.PostAsync(Post(Gateway, "g2", "2026-11-22T08:00:00Z", GatewayExport(), Diff(
            Change("medium", "source_contract_ref_changed", "response_shipping_quote", "shopify:api-service"))));
        // A first post whose diff removes a field: neither this export nor any earlier one says which system published it.
        var unseen = await _harness.PostAsync(Post(("commerce", "pricing"), "p1", "2026-11-22T08:10:00Z", NodesOnlyExport(), Diff(
            Change("high", "field_removed", "response_legacy_discount", impactSystem: null))));

        Assert.True(external.Assessment!.Impact is { Scope: ImpactScope.Unknown, Unknown: 1 }, "an external system's change is of unknown impact");
        Assert.Equal("shopify:api-service", external.Assessment.Impact.FirstChanges.Single().System);
        Assert.True(unseen.Assessment!.Impact is { Scope: ImpactScope.Unknown, Unknown: 1 }, "a change that names no known system is of unknown impact");
        Assert.Null(unseen.Assessment.Impact.FirstChanges.Single().System);
    }

    [Fact]
    public async Task A_change_to_a_system_other_services_read_is_downstream_even_when_no_service_publishes_it()
    {
        await IndexTheOrganizationAsync();

        // The producer reads the order event stream; a change to it that the gateway reports reaches the producer.
        var result = await _harness.PostAsync(Post(Gateway, "g2", "2026-11-22T08:00:00Z", GatewayExport(), Diff(
            Change("medium", "source_contract_ref_changed", "payload_cart_total", EventsSystem))));

        Assert.True(result.Assessment!.Impact is { Scope: ImpactScope.Downstream, Services.Count: 1 },
            "a known consumer outranks an unknown publisher: the change reaches commerce/core");
        Assert.Equal(2, result.Assessment.Impact.Services.Single().Fields.Count);
    }

    [Fact]
    public async Task A_consumer_that_stops_consuming_leaves_the_blast_radius_of_later_runs()
    {
        await IndexTheOrganizationAsync();
        var before = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem))));

        await _harness.PostAsync(Post(Ledger, "l2", "2026-11-22T09:30:00Z", LedgerExport(readsCore: false)));
        var after = await _harness.PostAsync(Post(Core, "c3", "2026-11-22T10:00:00Z", CoreExport(), Diff(
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem))));

        Assert.Equal("finance/ledger", before.Assessment!.Impact!.Services.Select(service => $"{service.Project}/{service.Service}").Single());
        Assert.True(after.Assessment!.Impact is { Scope: ImpactScope.SelfOnly, Services.Count: 0 },
            "the ledger's newer export no longer reads the producer, so the same change reaches nobody");
        Assert.True(before.Assessment.Impact.Scope == ImpactScope.Downstream, "an earlier run's impact is what was true when it was accepted");
    }

    [Fact]
    public async Task An_older_export_that_arrives_late_does_not_bring_back_what_the_newer_one_dropped()
    {
        await IndexTheOrganizationAsync();
        await _harness.PostAsync(Post(Ledger, "l3", "2026-11-22T09:30:00Z", LedgerExport(readsCore: false)));
        await _harness.PostAsync(Post(Ledger, "l2", "2026-11-22T09:00:00Z", LedgerExport(readsCore: true)));

        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T10:00:00Z", CoreExport(), Diff(
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem))));

        Assert.True(result.Assessment!.Impact!.Scope == ImpactScope.SelfOnly, "the index follows the ledger's latest run (l3), not the last one posted (l2)");
    }

    [Fact]
    public async Task An_older_export_posted_late_to_another_replica_does_not_bring_back_what_the_newer_one_dropped()
    {
        await IndexTheOrganizationAsync();
        await _harness.PostAsync(Post(Ledger, "l3", "2026-11-22T09:30:00Z", LedgerExport(readsCore: false)));

        // A second process on the same store has indexed nothing itself: only the ledger's latest pointer says l3 is newer.
        using var replica = _harness.Replica();
        await replica.PostAsync(Post(Ledger, "l2", "2026-11-22T09:00:00Z", LedgerExport(readsCore: true)));
        var result = await replica.PostAsync(Post(Core, "c2", "2026-11-22T10:00:00Z", CoreExport(), Diff(
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem))));

        Assert.True(result.Assessment!.Impact!.Scope == ImpactScope.SelfOnly, "the index follows the ledger's latest run (l3), not the last one posted (l2)");
    }

    [Fact]
    public async Task A_removed_field_is_traced_to_its_system_through_the_services_previous_export()
    {
        await IndexTheOrganizationAsync();

        // Upstream's field_removed change names no impact; only the export indexed before says who published the field.
        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(withCartTotal: false), Diff(
            Change("high", "field_removed", "response_cart_total", impactSystem: null))));

        var change = result.Assessment!.Impact!.FirstChanges.Single();
        Assert.True((change.System, change.Scope, change.Consumers) == (CoreSystem, ImpactScope.Downstream, 1),
            $"removing the cart total breaks the gateway, got {change.System} {change.Scope} {change.Consumers}");
    }

    [Fact]
    public async Task A_retried_post_gets_the_answer_the_first_one_got_even_after_the_consumers_changed()
    {
        await IndexTheOrganizationAsync();
        var post = Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(Change("high", "source_system_changed", "response_cart_total", CoreSystem)));
        var first = await _harness.PostAsync(post);

        await _harness.PostAsync(Post(Gateway, "g2", "2026-11-22T09:10:00Z", LedgerExport(readsCore: false)));
        var retry = await _harness.PostAsync(post);

        Assert.False(retry.Created, "the retry finds the run stored");
        Assert.Equal(Json(first.Assessment), Json(retry.Assessment));
        Assert.Equal(ImpactScope.Downstream, retry.Assessment!.Impact!.Scope);
    }

    [Fact]
    public async Task A_runs_assessment_is_recorded_in_its_record_and_in_no_object_of_its_own()
    {
        await IndexTheOrganizationAsync();

        var result = await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem))));

        var organization = Path.Combine(_harness.DataDirectory, "stricture", "v1", $"org={Organization}");
        var service = Path.Combine(organization, $"project={Core.Project}", $"service={Core.Service}");
        var recordKey = Path.Combine(service, "runs", "run=c2.json");
        var record = EnvelopeReader.ToIndexEntry(new StoredObject(recordKey, File.ReadAllBytes(recordKey), ETag: "", Sha256: ""));
        Assert.Equal(Json(result.Assessment), Json(record.Assessment));
        Assert.Equal(ImpactScope.Downstream, record.Impact!.Scope);
        Assert.Equal(
            [recordKey],
            Directory.EnumerateFiles(organization, "*", SearchOption.AllDirectories).Where(path => path.Contains("run=c2", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var unassessedKey = Path.Combine(organization, $"project={Ledger.Project}", $"service={Ledger.Service}", "runs", "run=l1.json");
        var unassessed = File.ReadAllBytes(unassessedKey);
        Assert.True(EnvelopeReader.ToIndexEntry(new StoredObject(unassessedKey, unassessed, ETag: "", Sha256: "")).Assessment is null &&
                    !System.Text.Encoding.UTF8.GetString(unassessed).Contains("\"gate\"", StringComparison.Ordinal),
            "a run without a diff has no impact or gate in its record");
    }

    [Fact]
    public async Task After_reconcile_the_index_and_the_runs_impact_and_gate_are_byte_identical()
    {
        // 1. Ingest the scenario, including a consumer that stops consuming (which leaves a tombstone).
        await IndexTheOrganizationAsync();
        await _harness.PostAsync(Post(Core, "c2", "2026-11-22T09:00:00Z", CoreExport(), Diff(
            Change("high", "source_system_changed", "response_cart_total", CoreSystem),
            Change("medium", "transform_type_changed", "response_cart_currency", CoreSystem))));
        await _harness.PostAsync(Post(Ledger, "l2", "2026-11-22T09:30:00Z", LedgerExport(readsCore: false)));
        await _harness.Catalog.CompactAsync(global::Stricture.Storage.Identity.ServiceIdentity.Create(Organization, Core.Project, Core.Service), new DateOnly(2026, 11, 22), [], default);
        var indexed = _harness.IndexFiles();
        var manifest = File.ReadAllBytes(ManifestPath());

        // 2. Lose every derived object of the index and the producer's manifest.
        Directory.Delete(Path.Combine(_harness.DataDirectory, "stricture", "v1", $"org={Organization}", "blast"), recursive: true);
        Directory.Delete(Path.GetDirectoryName(ManifestPath())!, recursive: true);

        // 3. Rebuild from the payloads.
        await _harness.Reconciler.ReconcileAsync(default);

        // 4. Every object the rebuild writes has the bytes ingest wrote; ingest's extra objects are only tombstones.
        var rebuilt = _harness.IndexFiles();
        Assert.NotEmpty(rebuilt);
        foreach (var (key, bytes) in rebuilt)
        {
            Assert.True(indexed.TryGetValue(key, out var original) && original.AsSpan().SequenceEqual(bytes), $"the rebuilt {key} must equal what ingest wrote");
        }
        foreach (var key in indexed.Keys.Except(rebuilt.Keys))
        {
            using var tombstone = JsonDocument.Parse(indexed[key]);
            Assert.True(tombstone.RootElement.GetProperty("consumes").GetArrayLength() == 0 && tombstone.RootElement.GetProperty("publishes").GetArrayLength() == 0,
                $"{key} exists only after ingest and must be a tombstone");
        }
        Assert.True(manifest.AsSpan().SequenceEqual(File.ReadAllBytes(ManifestPath())), "the rebuilt manifest must carry the same impact and gate");
    }

    private string ManifestPath() => Path.Combine(_harness.DataDirectory, "stricture", "v1", $"org={Organization}", $"project={Core.Project}", $"service={Core.Service}",
        "manifests", "date=2026-11-22.jsonl");

    private static string Json(RunAssessment? assessment) => JsonSerializer.Serialize(assessment);

    public void Dispose() => _harness.Dispose();
}
