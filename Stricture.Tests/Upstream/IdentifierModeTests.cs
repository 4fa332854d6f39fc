using System.Net;
using System.Text.Json;
using Stricture.Storage.Identity;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Upstream;

/// <summary>
/// STRICTURE_SERVER_IDENTIFIERS: strict (the default) refuses a name outside the grammar;
/// normalize stores it as the upstream Go server would, answers with the names as stored, and
/// audits both forms.
/// </summary>
public sealed class IdentifierModeTests
{
    private static readonly Dictionary<string, string?> Normalize = new() { ["STRICTURE_SERVER_IDENTIFIERS"] = "normalize" };

    [Theory]
    [InlineData("Acme Inc", "acme-inc")]
    [InlineData("  Checkout__Service..v2  ", "checkout-service-v2")]
    [InlineData("my_service", "my-service")]
    [InlineData("--Édition--", "dition")]
    public void The_upstream_rule_lowercases_and_turns_every_run_of_other_characters_into_one_dash(string sent, string stored)
    {
        Assert.Equal(stored, UpstreamIdentifier.Normalize(sent));
    }

    [Fact]
    public async Task Strict_mode_the_default_refuses_what_upstream_would_have_renamed()
    {
        await using var server = IngestServer.Start();
        var body = Posts.Valid(runId: "run-1");
        body["organization"] = "Acme Inc";

        var response = await server.Client.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, "invalid-identifier", "organization");
    }

    [Fact]
    public async Task Normalize_mode_stores_upstream_names_and_answers_with_the_names_as_stored()
    {
        await using var server = IngestServer.Start(Normalize);
        var body = Posts.Valid(runId: "Run.1");
        body["organization"] = "Acme Inc";
        body["project"] = "Checkout";
        body["service"] = "Payment Gateway";

        var response = await server.Client.PostAsync(body);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = await response.JsonBodyAsync();
        Assert.Equal("acme-inc", accepted.GetProperty("organization").GetString());
        Assert.Equal("checkout", accepted.GetProperty("project").GetString());
        Assert.Equal("payment-gateway", accepted.GetProperty("service").GetString());
        Assert.Equal("run-1", accepted.GetProperty("run_id").GetString());
        Assert.StartsWith("stricture/v1/org=acme-inc/project=checkout/service=payment-gateway/runs/run=", accepted.GetProperty("location").GetString());
        var latest = await server.Client.GetAsync("/v1/runs/acme-inc/checkout/payment-gateway/latest");
        Assert.True(latest.StatusCode == HttpStatusCode.OK, "the run must be readable under the names as stored");

        var retry = await (await server.Client.PostAsync(body)).JsonBodyAsync();
        Assert.False(retry.GetProperty("created").GetBoolean(), "the same upstream post again is an identical retry of the renamed run");
    }

    [Fact]
    public async Task Normalize_mode_audits_the_names_as_sent_beside_the_names_as_stored()
    {
        await using var server = IngestServer.Start(Normalize);
        var body = Posts.Valid(runId: "run-1");
        body["organization"] = "ACME";
        await server.Client.PostAsync(body);
        await server.Client.PostAsync(Posts.Valid(runId: "run-2"));

        var events = await ReadAuditAsync(server, expected: 2);

        Assert.Equal("acme", events[0].GetProperty("organization").GetString());
        Assert.Equal("ACME", events[0].GetProperty("sent_as").GetProperty("organization").GetString());
        Assert.Equal("checkout", events[0].GetProperty("sent_as").GetProperty("project").GetString());
        Assert.False(events[1].TryGetProperty("sent_as", out _), "a post whose names needed no renaming records them once");
    }

    [Theory]
    [InlineData("organization", "!!!", "must not be empty")]
    [InlineData("service", null, "maximum is 128")]
    [InlineData("run_id", "Latest", "must not be 'latest'")]
    public async Task Normalize_mode_still_refuses_what_the_grammar_refuses_after_renaming(string field, string? value, string why)
    {
        await using var server = IngestServer.Start(Normalize);
        var body = Posts.Valid(runId: "run-1");
        body[field] = value ?? new string('S', 129);

        var response = await server.Client.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.AssertAsync(response, expectedField: field);
        Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> ReadAuditAsync(IngestServer server, int expected)
    {
        var file = Path.Combine(server.DataDirectory, "audit", "audit.jsonl");
        // The event is written as the response completes: wait for it, bounded.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> events;
        do
        {
            events = File.Exists(file)
                ? (await File.ReadAllLinesAsync(file)).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList()
                : [];
        }
        while (events.Count < expected && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));
        Assert.True(events.Count == expected, $"expected {expected} audit events, found {events.Count}");
        return events;
    }
}
