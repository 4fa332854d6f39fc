using System.Net;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>Every accepted and rejected ingest leaves exactly one audit event, and never a secret.</summary>
public sealed class AuditTests
{
    private const string Token = "audit-token-0123456789abcdef";

    private static readonly Dictionary<string, string?> TokenMode = new()
    {
        ["STRICTURE_SERVER_AUTH_MODE"] = "token",
        ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
    };

    [Fact]
    public async Task An_accepted_post_is_audited_with_principal_identity_size_and_sha256()
    {
        await using var server = IngestServer.Start(TokenMode);
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var accepted = await (await server.Client.PostAsync(Posts.Valid(runId: "audited"))).JsonBodyAsync();

        var audit = Assert.Single(await ReadAuditAsync(server, expected: 1));
        Assert.Equal("ingest", audit.GetProperty("event").GetString());
        Assert.Equal("accepted", audit.GetProperty("outcome").GetString());
        Assert.Equal(202, audit.GetProperty("status").GetInt32());
        Assert.Equal("stored", audit.GetProperty("reason").GetString());
        Assert.Equal("token:primary", audit.GetProperty("principal").GetString());
        Assert.Equal("127.0.0.1", audit.GetProperty("remote_addr").GetString());
        Assert.Equal("acme", audit.GetProperty("organization").GetString());
        Assert.Equal("checkout", audit.GetProperty("project").GetString());
        Assert.Equal("api", audit.GetProperty("service").GetString());
        Assert.Equal("audited", audit.GetProperty("run_id").GetString());
        Assert.Equal(accepted.GetProperty("sha256").GetString(), audit.GetProperty("sha256").GetString());
        Assert.Equal(accepted.GetProperty("location").GetString(), audit.GetProperty("location").GetString());
        Assert.True(audit.GetProperty("request_bytes").GetInt64() > 0);
        Assert.Matches("^[0-9a-f]{32}$", audit.GetProperty("trace_id").GetString());
        Assert.True(DateTimeOffset.TryParse(audit.GetProperty("time").GetString(), out _));
    }

    [Fact]
    public async Task Rejections_are_audited_with_their_reason_and_never_the_token()
    {
        await using var server = IngestServer.Start(TokenMode);
        const string wrongToken = "wrong-secret-0123456789abcdef";
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = Posts.Json(Posts.Valid()) })
        {
            request.Headers.Authorization = new("Bearer", wrongToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(request)).StatusCode);
        }
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var bad = Posts.Valid();
        bad["organization"] = "Acme";
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync(bad)).StatusCode);
        await server.Client.PostAsync(Posts.Valid(runId: "dup"));
        var conflicting = Posts.Valid(runId: "dup");
        conflicting["summary"] = "other";
        Assert.Equal(HttpStatusCode.Conflict, (await server.Client.PostAsync(conflicting)).StatusCode);

        var events = await ReadAuditAsync(server, expected: 4);
        Assert.Equal(4, events.Count);
        Assert.Equal(("rejected", 401, "invalid-token", "anonymous"), Summary(events[0]));
        Assert.Equal(("rejected", 400, "invalid-identifier", "token:primary"), Summary(events[1]));
        Assert.Equal(("accepted", 202, "stored", "token:primary"), Summary(events[2]));
        Assert.Equal(("rejected", 409, "run-conflict", "token:primary"), Summary(events[3]));
        Assert.Equal("dup", events[3].GetProperty("run_id").GetString());

        var raw = await File.ReadAllTextAsync(AuditFile(server));
        Assert.DoesNotContain(wrongToken, raw);
        Assert.DoesNotContain(Token, raw);
    }

    [Fact]
    public async Task An_identical_retry_is_audited_as_one()
    {
        await using var server = IngestServer.Start();
        await server.Client.PostAsync(Posts.Valid(runId: "again"));
        await server.Client.PostAsync(Posts.Valid(runId: "again"));
        var events = await ReadAuditAsync(server, expected: 2);
        Assert.Equal("identical-retry", events[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_failing_audit_file_does_not_fail_ingest()
    {
        using var scratch = new TestDirectory();
        var blocker = Path.Combine(scratch.Path, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where the audit directory should be");
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUDIT_FILE"] = Path.Combine(blocker, "audit.jsonl"),
        });

        var response = await server.Client.PostAsync(Posts.Valid(runId: "unaudited-file"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(File.Exists(server.PathOf((await response.JsonBodyAsync()).GetProperty("location").GetString()!)));
    }

    private static string AuditFile(IngestServer server) => Path.Combine(server.DataDirectory, "audit", "audit.jsonl");

    private static (string, int, string, string) Summary(JsonElement e) =>
        (e.GetProperty("outcome").GetString()!, e.GetProperty("status").GetInt32(), e.GetProperty("reason").GetString()!, e.GetProperty("principal").GetString()!);

    private static async Task<List<JsonElement>> ReadAuditAsync(IngestServer server, int expected)
    {
        // The event is written as the response completes; give the server a moment to finish it.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<JsonElement> events;
        do
        {
            events = File.Exists(AuditFile(server))
                ? (await File.ReadAllLinesAsync(AuditFile(server))).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList()
                : [];
        }
        while (events.Count < expected && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));
        return events;
    }
}
