using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>Every malformed post is a 400 problem body that names what is wrong, and stores nothing.</summary>
public sealed class ValidationTests(SharedIngestServer shared) : IClassFixture<SharedIngestServer>
{
    private readonly IngestServer _server = shared.Server;

    [Theory]
    [InlineData("{\"organization\":", "invalid-json")]
    [InlineData("[1,2]", "invalid-json")]
    [InlineData("{\"organization\":\"acme\"} trailing", "invalid-json")]
    [InlineData("{\"organization\":\"acme\",}", "invalid-json")]
    [InlineData("{\"organization\":\"acme\" /* comment */}", "invalid-json")]
    public async Task Malformed_json_is_a_400(string body, string code)
    {
        await AssertRejectedAsync(await _server.Client.PostAsync(body), code);
    }

    [Theory]
    [InlineData("organization")]
    [InlineData("project")]
    [InlineData("service")]
    [InlineData("artifact")]
    public async Task A_missing_required_field_is_named(string field)
    {
        var body = Posts.Valid();
        body.Remove(field);
        var problem = await AssertRejectedAsync(await _server.Client.PostAsync(body), "missing-field", field);
        Assert.Contains(field, problem.Detail);
    }

    [Theory]
    [InlineData("organization", "42")]
    [InlineData("service", "null")]
    [InlineData("artifact", "\"text\"")]
    [InlineData("artifact", "[1]")]
    [InlineData("artifact", "null")]
    [InlineData("diff", "[]")]
    [InlineData("metadata", "\"x\"")]
    [InlineData("summary", "{}")]
    [InlineData("generated_at", "1700000000")]
    [InlineData("run_id", "7")]
    [InlineData("commit_sha", "true")]
    public async Task A_mistyped_field_is_named(string field, string value)
    {
        var body = Posts.Valid();
        body[field] = JsonNode.Parse(value);
        var problem = await AssertRejectedAsync(await _server.Client.PostAsync(body), expectedField: field);
        Assert.Contains(field, problem.Detail);
    }

    [Fact]
    public async Task An_unknown_field_is_named()
    {
        var body = Posts.Valid();
        body["colour"] = "blue";
        var problem = await AssertRejectedAsync(await _server.Client.PostAsync(body), "unknown-field", "colour");
        Assert.Contains("'colour'", problem.Detail);
    }

    [Fact]
    public async Task A_duplicated_top_level_property_is_rejected()
    {
        var json = "{\"organization\":\"acme\",\"organization\":\"evil\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{}}";
        await AssertRejectedAsync(await _server.Client.PostAsync(json), "duplicate-property", "organization");
    }

    [Fact]
    public async Task A_duplicated_nested_property_is_rejected()
    {
        var json = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{\"a\":{\"x\":1,\"x\":2}}}";
        var problem = await AssertRejectedAsync(await _server.Client.PostAsync(json), "duplicate-property", "artifact");
        Assert.Contains("'x'", problem.Detail);
    }

    [Fact]
    public async Task The_same_name_in_sibling_objects_is_not_a_duplicate()
    {
        var json = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{\"a\":{\"x\":1},\"b\":{\"x\":2},\"c\":[{\"x\":1},{\"x\":2}]}}";
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.PostAsync(json)).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T10:00:00")]
    [InlineData("2026-11-22 10:00:00Z")]
    [InlineData("2026-13-01T10:00:00Z")]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("2026-11-22T24:00:00Z")]
    [InlineData("2026-11-22T10:00:60Z")]
    [InlineData("22/11/2026")]
    [InlineData("2026-11-22T10:00:00+25:00")]
    public async Task A_bad_rfc3339_time_is_a_400(string value)
    {
        var body = Posts.Valid();
        body["generated_at"] = value;
        await AssertRejectedAsync(await _server.Client.PostAsync(body), "invalid-timestamp", "generated_at");
    }

    [Theory]
    [InlineData("2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22t10:00:00z")]
    [InlineData("2026-11-22T10:00:00.123456789+05:30")]
    [InlineData("2026-11-22T10:00:00-00:00")]
    public async Task Valid_rfc3339_times_are_accepted(string value)
    {
        var body = Posts.Valid();
        body["generated_at"] = value;
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.PostAsync(body)).StatusCode);
    }

    public static TheoryData<string, string> BadIdentifiers => new()
    {
        { "organization", "../etc" },
        { "organization", "Acme" },
        { "organization", "" },
        { "organization", new string('a', 200) },
        { "organization", "a/b" },
        { "project", ".hidden" },
        { "project", "-dash" },
        { "service", "a b" },
        { "service", "a\\b" },
        { "service", "caf\u00e9" },
        { "service", "a\u0000b" },
        { "run_id", "../../x" },
        { "run_id", "run:1" },
        { "run_id", "" },
        { "run_id", new string('1', 129) },
    };

    [Theory]
    [MemberData(nameof(BadIdentifiers))]
    public async Task An_identifier_outside_the_grammar_is_a_400_and_never_renamed(string field, string value)
    {
        var body = Posts.Valid();
        body[field] = value;
        await AssertRejectedAsync(await _server.Client.PostAsync(body), "invalid-identifier", field);
    }

    [Fact]
    public async Task The_run_id_latest_is_reserved_for_the_read_api()
    {
        await AssertRejectedAsync(await _server.Client.PostAsync(Posts.Valid(runId: "latest")), "reserved-run-id", "run_id");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("acme-corp_eu.2")]
    public async Task Identifiers_inside_the_grammar_are_accepted(string value)
    {
        var body = Posts.Valid();
        body["organization"] = value;
        body["run_id"] = value + "-run";
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.PostAsync(body)).StatusCode);
    }

    [Fact]
    public async Task An_identifier_of_exactly_128_characters_is_accepted()
    {
        var body = Posts.Valid(runId: new string('r', 128));
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.PostAsync(body)).StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("not-a-sha")]
    public async Task A_malformed_commit_sha_is_a_400(string value)
    {
        var body = Posts.Valid();
        body["commit_sha"] = value;
        await AssertRejectedAsync(await _server.Client.PostAsync(body), "invalid-field", "commit_sha");
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400()
    {
        var prefix = Encoding.UTF8.GetBytes("{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{\"k\":\"");
        var suffix = Encoding.UTF8.GetBytes("\"}}");
        byte[] invalid = [0xC3, 0x28, 0xFF];
        var response = await _server.Client.PostAsync("/v1/artifacts", Posts.Raw([.. prefix, .. invalid, .. suffix]));
        await AssertRejectedAsync(response, "invalid-utf8");
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        await AssertRejectedAsync(await _server.Client.PostAsync("/v1/artifacts", Posts.Raw([])), "invalid-json");
    }

    [Fact]
    public async Task Excessive_nesting_is_a_400()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var json = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{\"deep\":" + deep + "}}";
        await AssertRejectedAsync(await _server.Client.PostAsync(json), "invalid-json");
    }

    [Fact]
    public async Task Rejected_posts_store_nothing()
    {
        var body = Posts.Valid(runId: "never-stored");
        body["colour"] = "blue";
        await _server.Client.PostAsync(body);
        var records = Path.Combine(_server.DataDirectory, "stricture");
        Assert.True(!Directory.Exists(records) || !Directory.EnumerateFileSystemEntries(records, "*never-stored*", SearchOption.AllDirectories).Any(),
            "a rejected post must not create any record");
    }

    private static async Task<Problem> AssertRejectedAsync(HttpResponseMessage response, string? expectedCode = null, string? expectedField = null)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return await Problem.AssertAsync(response, expectedCode, expectedField);
    }
}
