using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Function;

/// <summary>
/// The parity table: every request case that server mode and function mode must answer alike.
/// Ingest (valid, generated run id, gzip), every validation error, auth failures in token mode
/// (missing, wrong, other scheme, outside a scoped token's scope), idempotent retry, conflict, and
/// each read endpoint (latest, list with range, commit over a range and over all history, paging and a
/// bad query, run by id, the runs of a commit across the organization) with ETag revalidation (304)
/// and gzip, batches (mixed outcomes, a malformed envelope, no token), plus the health endpoints and
/// routing misses; what upstream clients send (no Content-Type, short or upper-case commit SHAs,
/// HEAD); and, in <see cref="NormalizedIdentifiers"/>, the cases of STRICTURE_SERVER_IDENTIFIERS=normalize.
/// </summary>
public static class ParityCases
{
    public const string Token = "parity-token-0123456789abcdef0123";

    /// <summary>The body cap both modes run with, small enough to exceed cheaply.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const string GeneratedAt = "2026-11-22T10:00:00Z";

    /// <summary>acme's gate policy in both modes: medium or above downstream drift blocks; unknown impact counts as medium.</summary>
    private const string Blocked = "\"gate\":{\"decision\":\"block\"";

    public const string Policy = "policy_id: parity\nlineage:\n  findings:\n    unknown_impact_severity: medium\ngate:\n  fail_on: medium\n  mode: block\n";

    public static readonly IReadOnlyList<ParityCase> All =
    [
        // Ingest.
        Case("valid post", "valid", 202, _ => Post(Body("valid", "run-1"))),
        Case("valid post without a run id", "generated", 202, _ => Post(Body("generated", null))),
        Case("valid gzip post", "gzip-post", 202, _ => Gzip(Body("gzip-post", "run-1").ToJsonString())),
        Case("idempotent retry", "retry", 202, _ => Post(Body("retry", "run-1")), _ => Post(Body("retry", "run-1"))),
        Case("conflict", "conflict", 409, _ => Post(Changed(Body("conflict", "run-1"))), _ => Post(Body("conflict", "run-1"))),

        // Batches: each item answers as its single post would; a malformed envelope is one 400.
        Case("batch with mixed outcomes", "batch", 200,
            _ => PostBatch(new JsonArray(Changed(Body("batch", "run-1")), Body("batch", "run-2"), With(Body("batch", "run-3"), "run_id", "../x"), Body("batch", "run-1"))),
            _ => Post(Body("batch", "run-1"))),
        Case("batch with a malformed envelope", "batch-envelope", 400, _ => Post("{\"items\": {}}", path: "/v1/artifacts/batch")),
        Case("batch without a token", "batch-anonymous", 401, _ => PostBatch(new JsonArray(Body("batch-anonymous", "run-1")), token: null)),

        // Validation: one case per problem code, and the ways to reach the common ones.
        Case("malformed json", "v-json", 400, _ => Post("{\"organization\":")),
        Case("json that is not an object", "v-array", 400, _ => Post("[1,2]")),
        Case("empty body", "v-empty", 400, _ => Post("")),
        Case("missing field", "v-missing", 400, _ => Post(Without(Body("v-missing", "run-1"), "artifact"))),
        Case("mistyped field", "v-type", 400, _ => Post(With(Body("v-type", "run-1"), "metadata", "x"))),
        Case("unknown field", "v-unknown", 400, _ => Post(With(Body("v-unknown", "run-1"), "colour", "blue"))),
        Case("duplicate property", "v-duplicate", 400,
            _ => Post("{\"organization\":\"acme\",\"organization\":\"evil\",\"project\":\"checkout\",\"service\":\"v-duplicate\",\"artifact\":{}}")),
        Case("bad timestamp", "v-time", 400, _ => Post(With(Body("v-time", "run-1"), "generated_at", "2026-11-22 10:00:00Z"))),
        Case("identifier outside the grammar", "v-identifier", 400, _ => Post(With(Body("v-identifier", "run-1"), "run_id", "../../x"))),
        Case("reserved run id", "v-reserved", 400, _ => Post(Body("v-reserved", "latest"))),
        Case("malformed commit sha", "v-commit", 400, _ => Post(With(Body("v-commit", "run-1"), "commit_sha", "not-a-sha"))),
        Case("invalid utf-8", "v-utf8", 400, _ => Post(InvalidUtf8("v-utf8"))),
        Case("excessive nesting", "v-nesting", 400,
            _ => Post("{\"organization\":\"acme\",\"project\":\"checkout\",\"service\":\"v-nesting\",\"artifact\":{\"deep\":" +
                      new string('[', 100) + new string(']', 100) + "}}")),
        Case("body over the cap", "v-large", 413, _ => Post(With(Body("v-large", "run-1"), "summary", new string('x', MaxBodyBytes)))),
        Case("unsupported media type", "v-media", 415, _ => Post(Body("v-media", "run-1").ToJsonString(), "text/plain")),
        Case("unsupported content encoding", "v-encoding", 415, _ => Encoded(Body("v-encoding", "run-1").ToJsonString(), "br")),
        Case("invalid gzip", "v-gzip", 400, _ => Encoded("not gzip at all", "gzip")),

        // Blast radius and gates: each case's systems are its own, so no case reaches another's services.
        Case("gate blocks downstream drift", "g-block", 202, _ => Post(Gated("g-block", "run-2", Change("g-block", "medium"))),
            _ => Post(Consumer("g-block")), _ => Post(Gated("g-block", "run-1"))) with { Expect = Blocked },
        Case("gate passes self-only drift", "g-self", 202, _ => Post(Gated("g-self", "run-2", Change("g-self", "high"))), _ => Post(Gated("g-self", "run-1")))
            with { Expect = "\"gate\":{\"decision\":\"pass\"" },
        Case("gate blocks unknown impact", "g-unknown", 202, _ => Post(Gated("g-unknown", "run-1", Change("g-unknown", "low", system: "Vendor:api"))),
            _ => Post(Consumer("g-unknown-other"))) with { Expect = Blocked },
        Case("gate retried", "g-retry", 202, _ => Post(Gated("g-retry", "run-2", Change("g-retry", "high"))),
            _ => Post(Consumer("g-retry")), _ => Post(Gated("g-retry", "run-2", Change("g-retry", "high")))) with { Expect = Blocked },
        Case("effective policy", "g-policy", 200, _ => Get("/v1/orgs/acme/policy")) with { Expect = "\"fail_on\":\"medium\",\"mode\":\"block\"" },
        Case("run by id with its gate", "g-run", 200, _ => Get("/v1/runs/acme/checkout/g-run/run-2"),
            _ => Post(Consumer("g-run")), _ => Post(Gated("g-run", "run-2", Change("g-run", "high")))) with { Expect = "Stricture-Gate: decision=block" },
        Case("run assessment", "g-assessment", 200, _ => Get("/v1/runs/acme/checkout/g-assessment/run-2/assessment"),
            _ => Post(Consumer("g-assessment")), _ => Post(Gated("g-assessment", "run-2", Change("g-assessment", "high")))) with { Expect = Blocked },

        // Authentication and scopes (token mode).
        Case("missing token", "a-missing", 401, _ => Post(Body("a-missing", "run-1"), token: null)),
        Case("wrong token", "a-wrong", 401, _ => Post(Body("a-wrong", "run-1"), token: "wrong-token-0123456789abcdef0123")),
        Case("another scheme", "a-basic", 401, _ => WithAuthorization(Post(Body("a-basic", "run-1")), "Basic", "dXNlcjpwYXNz")),
        Case("scoped token outside its scope", "a-scope", 403, scene => Post(Body("a-scope", "run-1"), token: scene.OtherOrganizationToken)),

        // Reads.
        Case("latest", "r-latest", 200, _ => Get("/v1/runs/acme/checkout/r-latest/latest"),
            _ => Post(Body("r-latest", "run-1", "2026-11-21T10:00:00Z")), _ => Post(Body("r-latest", "run-2"))),
        Case("latest revalidated", "r-latest-304", 304, scene => IfNoneMatch(Get("/v1/runs/acme/checkout/r-latest-304/latest"), scene.Last),
            _ => Post(Body("r-latest-304", "run-1")), _ => Get("/v1/runs/acme/checkout/r-latest-304/latest")),
        Case("latest gzip", "r-latest-gzip", 200, _ => AcceptGzip(Get("/v1/runs/acme/checkout/r-latest-gzip/latest")),
            _ => Post(Body("r-latest-gzip", "run-1"))),
        Case("run by id", "r-run", 200, _ => Get("/v1/runs/acme/checkout/r-run/run-1"), _ => Post(Body("r-run", "run-1"))),
        Case("run by id revalidated", "r-run-304", 304, scene => IfNoneMatch(Get("/v1/runs/acme/checkout/r-run-304/run-1"), scene.Last),
            _ => Post(Body("r-run-304", "run-1")), _ => Get("/v1/runs/acme/checkout/r-run-304/run-1")),
        Case("run by id gzip", "r-run-gzip", 200, _ => AcceptGzip(Get("/v1/runs/acme/checkout/r-run-gzip/run-1")), _ => Post(Body("r-run-gzip", "run-1"))),
        Case("run not found", "r-run-404", 404, _ => Get("/v1/runs/acme/checkout/r-run-404/run-9"), _ => Post(Body("r-run-404", "run-1"))),
        Case("service not found", "r-service-404", 404, _ => Get("/v1/runs/acme/checkout/r-service-404/latest")),
        Case("list by date range", "r-list", 200, _ => Get("/v1/runs/acme/checkout/r-list?from=2026-11-20&to=2026-11-23"),
            _ => Post(Body("r-list", "run-1", "2026-11-20T10:00:00Z")), _ => Post(Body("r-list", "run-2")),
            _ => Post(Body("r-list", "run-3", "2026-11-23T10:00:00Z"))),
        Case("list by commit", "r-commit", 200, _ => Get("/v1/runs/acme/checkout/r-commit?from=2026-11-20&to=2026-11-23&commit=abcdef0"),
            _ => Post(Body("r-commit", "run-1")), _ => Post(With(Body("r-commit", "run-2"), "commit_sha", "abcdef0123456789abcdef0123456789abcdef01"))),
        Case("list next page", "r-page", 200,
            scene => Get($"/v1/runs/acme/checkout/r-page?from=2026-11-20&to=2026-11-23&limit=1&cursor={Uri.EscapeDataString(scene.Last.Json.GetProperty("next_cursor").GetString()!)}"),
            _ => Post(Body("r-page", "run-1")), _ => Post(Body("r-page", "run-2", "2026-11-21T10:00:00Z")),
            _ => Get("/v1/runs/acme/checkout/r-page?from=2026-11-20&to=2026-11-23&limit=1")),
        Case("list by commit over all history", "r-commit-all", 200, _ => Get("/v1/runs/acme/checkout/r-commit-all?commit=c0ffee1"),
            _ => Post(With(Body("r-commit-all", "run-1", "2025-01-10T10:00:00Z"), "commit_sha", "c0ffee1000000000000000000000000000000001")),
            _ => Post(With(Body("r-commit-all", "run-2"), "commit_sha", "c0ffee1000000000000000000000000000000001"))),
        Case("runs of a commit across the organization", "r-commits", 200, _ => Get("/v1/commits/C0FFEE2?organization=acme"),
            _ => Post(With(Body("r-commits", "run-1", "2025-01-10T10:00:00Z"), "commit_sha", "c0ffee2000000000000000000000000000000002")),
            _ => Post(With(Body("r-commits", "run-2"), "commit_sha", "c0ffee2000000000000000000000000000000002"))),
        Case("runs of a commit with a bad prefix", "r-commits-bad", 400, _ => Get("/v1/commits/c0f?organization=acme")),
        Case("runs of a commit outside a scoped token's scope", "r-commits-scope", 403,
            scene => Get("/v1/commits/c0ffee2?organization=acme", token: scene.OtherOrganizationToken)),
        Case("list with a bad query", "r-bad-query", 400, _ => Get("/v1/runs/acme/checkout/r-bad-query?from=yesterday"), _ => Post(Body("r-bad-query", "run-1"))),
        Case("read with an identifier outside the grammar", "r-identifier", 400, _ => Get("/v1/runs/Acme/checkout/r-identifier/latest")),
        Case("read without a token", "r-anonymous", 401, _ => Get("/v1/runs/acme/checkout/r-anonymous/latest", token: null), _ => Post(Body("r-anonymous", "run-1"))),
        Case("read outside a scoped token's scope", "r-scope", 403, scene => Get("/v1/runs/acme/checkout/r-scope/latest", token: scene.OtherOrganizationToken),
            _ => Post(Body("r-scope", "run-1"))),

        // Service endpoints and routing.
        Case("healthz", "s-healthz", 200, _ => Get("/healthz", token: null)),
        Case("alive", "s-alive", 200, _ => Get("/alive", token: null)),
        Case("health (storage probe)", "s-health", 200, _ => Get("/health", token: null)),
        Case("unknown route", "s-unknown", 404, _ => Get("/v1/nothing-here")),
        Case("wrong method", "s-method", 405, _ => Get("/v1/artifacts")),

        // What upstream clients send.
        Case("post without a content type", "u-no-type", 202, _ => WithoutContentType(Post(Body("u-no-type", "run-1")))),
        Case("short upper-case commit sha", "u-short-sha", 202, _ => Post(With(Body("u-short-sha", "run-1"), "commit_sha", "ABC123"))),
        Case("list by an upper-case abbreviated commit", "u-sha-query", 200,
            _ => Get("/v1/runs/acme/checkout/u-sha-query?from=2026-11-20&to=2026-11-23&commit=ABCD"),
            _ => Post(With(Body("u-sha-query", "run-1"), "commit_sha", "ABCDEF0"))),
        Case("HEAD healthz", "u-head-healthz", 200, _ => Head("/healthz", token: null)),
        Case("HEAD latest", "u-head-latest", 200, _ => Head("/v1/runs/acme/checkout/u-head-latest/latest"), _ => Post(Body("u-head-latest", "run-1"))),
        Case("HEAD list", "u-head-list", 200, _ => Head("/v1/runs/acme/checkout/u-head-list?from=2026-11-20&to=2026-11-23"),
            _ => Post(Body("u-head-list", "run-1"))),
        Case("HEAD run not found", "u-head-404", 404, _ => Head("/v1/runs/acme/checkout/u-head-404/run-9")),
        Case("HEAD organization services", "u-head-services", 200, _ => Head("/v1/orgs/acme/services")),
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    /// <summary>The cases run with STRICTURE_SERVER_IDENTIFIERS=normalize in both modes (NormalizingParityModes).</summary>
    public static readonly IReadOnlyList<ParityCase> NormalizedIdentifiers =
    [
        Case("upstream names are stored renamed", "n-renamed", 202, _ => Post(Renamed(Body("n-renamed", "Run.1"), "ACME", "Checkout", "N Renamed"))),
        Case("a renamed retry is the same run", "n-retry", 202, _ => Post(Renamed(Body("n-retry", "run-1"), "Acme", "checkout", "N_Retry")),
            _ => Post(Body("n-retry", "run-1"))),
        Case("a name empty once renamed", "n-empty", 400, _ => Post(Renamed(Body("n-empty", "run-1"), "!!!", "checkout", "n-empty"))),
        Case("a strict name is unchanged", "n-strict", 202, _ => Post(Body("n-strict", "run-1"))),
    ];

    public static TheoryData<string> NormalizedNames => [.. NormalizedIdentifiers.Select(c => c.Name)];

    private static ParityCase Case(string name, string service, int status, Func<ParityScene, HttpRequestMessage> request,
        params Func<ParityScene, HttpRequestMessage>[] setup) => new(name, service, status, request, setup);

    private static JsonObject Body(string service, string? runId, string generatedAt = GeneratedAt) =>
        Posts.Valid(runId: runId, service: service, generatedAt: generatedAt);

    /// <summary>A post of <paramref name="service"/> whose export publishes the case's own system (the service's name as a system), with an optional diff.</summary>
    private static JsonObject Gated(string service, string runId, JsonObject? change = null)
    {
        var body = Body(service, runId);
        var system = $"{service}:api";
        body["artifact"] = new JsonObject
        {
            ["schema_version"] = "1",
            ["fields"] = new JsonArray(new JsonObject { ["field_id"] = "response_total", ["field"] = "response.total", ["source_system"] = system, ["owner"] = "team.a" }),
        };
        if (change is not null)
        {
            body["diff"] = new JsonObject { ["changes"] = new JsonArray(change) };
        }
        return body;
    }

    /// <summary>A consumer of the case's system (its service is the case's name with "-reader"), whose field names the total.</summary>
    private static JsonObject Consumer(string service)
    {
        var body = Body(service + "-reader", "run-1");
        body["artifact"] = new JsonObject
        {
            ["schema_version"] = "1",
            ["fields"] = new JsonArray(new JsonObject
            {
                ["field_id"] = "checkout_total",
                ["source_system"] = $"{service}-reader:api",
                ["owner"] = "team.b",
                ["escalation"] = "pagerduty:b",
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["kind"] = "api",
                    ["target"] = $"{service}.GetTotal",
                    ["path"] = "response.total",
                    ["scope"] = "cross_repo",
                    ["upstream_system"] = $"{service}:api",
                }),
            }),
        };
        return body;
    }

    private static JsonObject Change(string service, string severity, string? system = null) => new()
    {
        ["severity"] = severity,
        ["change_type"] = "source_version_changed",
        ["field_id"] = "response_total",
        ["message"] = "changed",
        ["impact"] = new JsonObject { ["service"] = system ?? $"{service}:api", ["api"] = "response_total" },
    };

    private static JsonObject With(JsonObject body, string field, string value)
    {
        body[field] = value;
        return body;
    }

    private static JsonObject Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body;
    }

    private static JsonObject Changed(JsonObject body) => With(body, "summary", "different");

    private static JsonObject Renamed(JsonObject body, string organization, string project, string service) =>
        With(With(With(body, "organization", organization), "project", project), "service", service);

    private static HttpRequestMessage WithoutContentType(HttpRequestMessage request)
    {
        request.Content!.Headers.ContentType = null;
        return request;
    }

    private static HttpRequestMessage Head(string path, string? token = Token) => Authorized(new HttpRequestMessage(HttpMethod.Head, path), token);

    private static byte[] InvalidUtf8(string service) =>
        [.. Encoding.UTF8.GetBytes($"{{\"organization\":\"acme\",\"project\":\"checkout\",\"service\":\"{service}\",\"artifact\":{{\"k\":\""),
            0xC3, 0x28, 0xFF, .. "\"}}"u8.ToArray()];

    private static HttpRequestMessage Post(JsonNode body, string? token = Token) => Post(body.ToJsonString(), token: token);

    private static HttpRequestMessage Post(string json, string contentType = "application/json", string? token = Token, string path = "/v1/artifacts") =>
        Post(Encoding.UTF8.GetBytes(json), contentType, token, path);

    private static HttpRequestMessage Post(byte[] body, string contentType = "application/json", string? token = Token, string path = "/v1/artifacts") =>
        Authorized(new HttpRequestMessage(HttpMethod.Post, path) { Content = Posts.Raw(body, contentType) }, token);

    private static HttpRequestMessage PostBatch(JsonArray items, string? token = Token) =>
        Post(new JsonObject { ["items"] = items }.ToJsonString(), token: token, path: "/v1/artifacts/batch");

    private static HttpRequestMessage Gzip(string json)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }
        var request = Post(compressed.ToArray());
        request.Content!.Headers.ContentEncoding.Add("gzip");
        return request;
    }

    private static HttpRequestMessage Encoded(string text, string encoding)
    {
        var request = Post(text);
        request.Content!.Headers.ContentEncoding.Add(encoding);
        return request;
    }

    private static HttpRequestMessage Get(string path, string? token = Token) => Authorized(new HttpRequestMessage(HttpMethod.Get, path), token);

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string? token) =>
        token is null ? request : WithAuthorization(request, "Bearer", token);

    private static HttpRequestMessage WithAuthorization(HttpRequestMessage request, string scheme, string parameter)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);
        return request;
    }

    private static HttpRequestMessage IfNoneMatch(HttpRequestMessage request, CapturedResponse previous)
    {
        request.Headers.TryAddWithoutValidation("If-None-Match", previous.Header("ETag"));
        return request;
    }

    private static HttpRequestMessage AcceptGzip(HttpRequestMessage request)
    {
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        return request;
    }
}
