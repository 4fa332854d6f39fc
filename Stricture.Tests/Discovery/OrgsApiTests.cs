using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Discovery;

/// <summary>The services listing and the drift feed through the real HTTP pipeline on the filesystem driver.</summary>
public sealed class OrgsApiTests
{
    [Fact]
    public async Task The_services_listing_and_the_drift_feed_answer_from_what_was_posted_newest_first_and_paged()
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(OrgScenario.Now));
        await OrgScenario.PostAllAsync(server.Client);

        await OrgScenario.AssertAnswersAsync(server.Client);
    }

    [Fact]
    public async Task The_drift_summary_is_in_the_202_the_run_listing_and_the_latest_and_run_answers()
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(OrgScenario.Now));
        var accepted = await (await server.Client.PostAsync(OrgScenario.Post("acme", "checkout", "api", "a1", "2026-11-22T10:00:00Z", "diff-high.json"))).JsonBodyAsync();
        var plain = await (await server.Client.PostAsync(OrgScenario.Post("acme", "checkout", "api", "a0", "2026-11-21T10:00:00Z", null))).JsonBodyAsync();

        Assert.Equal((7, 3, 2, 1, 1), (accepted.GetProperty("drift").GetProperty("total").GetInt32(), accepted.GetProperty("drift").GetProperty("high").GetInt32(),
            accepted.GetProperty("drift").GetProperty("medium").GetInt32(), accepted.GetProperty("drift").GetProperty("low").GetInt32(),
            accepted.GetProperty("drift").GetProperty("info").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("drift").ValueKind);
        var listing = await OrgScenario.GetJsonAsync(server.Client, "/v1/runs/acme/checkout/api?from=2026-11-21&to=2026-11-22");
        Assert.Equal(7, listing.GetProperty("runs")[0].GetProperty("drift").GetProperty("first_changes").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listing.GetProperty("runs")[1].GetProperty("drift").ValueKind);
        const string expected = "total=7, high=3, medium=2, low=1, info=1, unrecognized=0";
        Assert.Equal(expected, (await server.Client.GetAsync("/v1/runs/acme/checkout/api/latest")).Headers.GetValues("Stricture-Drift").Single());
        Assert.Equal(expected, (await server.Client.GetAsync("/v1/runs/acme/checkout/api/a1")).Headers.GetValues("Stricture-Drift").Single());
        Assert.False((await server.Client.GetAsync("/v1/runs/acme/checkout/api/a0")).Headers.Contains("Stricture-Drift"), "a run without a diff has no drift header");
    }

    [Theory]
    [InlineData("/v1/orgs/acme/drift?min_severity=critical", "invalid-severity", "min_severity")]
    [InlineData("/v1/orgs/acme/drift?min_severity=info", "invalid-severity", "min_severity")]
    [InlineData("/v1/orgs/acme/drift?from=2026-11-22&to=2026-11-20", "invalid-range", "from")]
    [InlineData("/v1/orgs/acme/drift?from=2026-09-01&to=2026-11-20", "range-too-long", "to")]
    [InlineData("/v1/orgs/acme/drift?from=22-11-2026", "invalid-date", "from")]
    [InlineData("/v1/orgs/acme/drift?cursor=not-a-cursor", "invalid-cursor", "cursor")]
    [InlineData("/v1/orgs/acme/services?cursor=bm9wZQ", "invalid-cursor", "cursor")]
    [InlineData("/v1/orgs/acme/services?limit=0", "invalid-limit", "limit")]
    [InlineData("/v1/orgs/acme/services?severity=high", "unknown-parameter", "severity")]
    [InlineData("/v1/orgs/acme/services?project=Checkout", "invalid-identifier", "project")]
    [InlineData("/v1/orgs/ACME/services", "invalid-identifier", "organization")]
    public async Task A_bad_parameter_is_a_400_that_names_it(string path, string code, string field)
    {
        await using var server = IngestServer.Start(time: new FakeTimeProvider(OrgScenario.Now));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, code, field);
    }

    [Fact]
    public async Task A_project_token_sees_only_its_project_and_another_organizations_token_sees_nothing()
    {
        var checkout = ScopedTestToken.Valid("checkout-ci", "acme/checkout");
        var organization = ScopedTestToken.Valid("acme-all", "acme/*");
        var globex = ScopedTestToken.Valid("globex-ci", "globex/*");
        var writer = ScopedTestToken.Valid("writer", "acme/*", "globex/*");
        using var file = new TokenFile(checkout, organization, globex, writer);
        await using var server = IngestServer.Start(
            new Dictionary<string, string?> { ["STRICTURE_SERVER_AUTH_MODE"] = "token", ["STRICTURE_SERVER_TOKEN_FILE"] = file.Path },
            time: new FakeTimeProvider(OrgScenario.Now));
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", writer.Secret);
        await OrgScenario.PostAllAsync(server.Client);

        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", checkout.Secret);
        var services = await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/services");
        Assert.Equal(["api", "web"], services.GetProperty("services").EnumerateArray().Select(service => service.GetProperty("service").GetString()));
        Assert.Equal(["w1", "a1"], OrgScenario.RunIds(await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/drift")));
        var billing = await server.Client.GetAsync("/v1/orgs/acme/drift?project=billing");
        Assert.Equal(HttpStatusCode.Forbidden, billing.StatusCode);
        Assert.Equal("acme/billing", (await Problem.AssertAsync(billing, "missing-scope")).Raw.GetProperty("scope").GetString());

        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", globex.Secret);
        var foreign = await server.Client.GetAsync("/v1/orgs/acme/services");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("acme/*", (await Problem.AssertAsync(foreign, "missing-scope")).Raw.GetProperty("scope").GetString());

        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", organization.Secret);
        Assert.Equal(3, (await OrgScenario.GetJsonAsync(server.Client, "/v1/orgs/acme/services")).GetProperty("services").GetArrayLength());

        server.Client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/v1/orgs/acme/services")).StatusCode);
    }

    [Fact]
    public async Task After_the_derived_objects_are_deleted_and_rebuilt_by_reconcile_every_answer_is_the_same()
    {
        using var data = new TestDirectory();
        Dictionary<string, string> before;
        // 1. Post, let compaction run its course, and record the answers.
        await using (var server = IngestServer.Start(time: new FakeTimeProvider(OrgScenario.Now), dataDirectory: data.Path))
        {
            await OrgScenario.PostAllAsync(server.Client);
            before = await OrgScenario.AnswersAsync(server.Client);
        }

        // 2. With the server stopped, delete every derived object and rebuild from the payloads alone.
        var store = new FileSystemObjectStore(data.Path);
        var derived = await OrgScenario.DerivedKeysAsync(store);
        Assert.Contains(derived, key => key.Contains("/services/", StringComparison.Ordinal));
        Assert.Contains(derived, key => key.Contains("/drift/", StringComparison.Ordinal));
        foreach (var key in derived)
        {
            File.Delete(Path.Combine(data.Path, key));
        }
        var keys = new RecordKeys("stricture");
        var catalog = new RunCatalog(store, keys, new StorageTelemetry(new TestMeterFactory()), compactInBackground: false);
        await new CatalogReconciler(store, keys, catalog, NullLogger<CatalogReconciler>.Instance).ReconcileAsync(default);

        // 3. Restarted on the rebuilt store, the server answers exactly as before.
        await using (var server = IngestServer.Start(time: new FakeTimeProvider(OrgScenario.Now), dataDirectory: data.Path))
        {
            var after = await OrgScenario.AnswersAsync(server.Client);
            foreach (var query in OrgScenario.Queries)
            {
                Assert.True(before[query] == after[query], $"{query} must answer the same after the rebuild:\n{before[query]}\n{after[query]}");
            }
            await OrgScenario.AssertAnswersAsync(server.Client);
        }
    }
}
