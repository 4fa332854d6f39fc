using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Stricture.Bench;

/// <summary>
/// Posts of an organization of <see cref="Services"/> services whose lineage-exports reference each
/// other, in upstream's format (fields[] with source_system, owner, escalation, sources[]). Service i
/// (project p{i mod 10}, service svc-{i}) publishes Svc{i}:api-service with six fields; its fields
/// f0, f1 and f2 each read the same field of another service's system (i+1, i+37, i+401), naming the
/// path; f3 to f5 read nothing. So every field f0 to f2 has exactly one consumer and f3 to f5 none.
/// A measured post's diff has a high change on f0 (downstream: it reaches one other service) and a
/// low change on f4 (self-only), so every post classifies two changes, reads its system's entries,
/// records an assessment and re-indexes its export.
/// </summary>
internal static class BlastRadiusBodies
{
    public const int Services = 1_000;
    private const int Fields = 6;
    private static readonly int[] ReadOffsets = [1, 37, 401];
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private static readonly byte[][] Exports = [.. Enumerable.Range(0, Services).Select(i => Encoding.UTF8.GetBytes(Export(i).ToJsonString()))];
    private static readonly byte[][] Diffs = [.. Enumerable.Range(0, Services).Select(i => Encoding.UTF8.GetBytes(Diff(i).ToJsonString()))];

    /// <summary>The size of one service's export, for the report.</summary>
    public static int ExportBytes => Exports[0].Length;

    /// <summary>The first run of service <paramref name="service"/>, with no diff, the day before the measured posts.</summary>
    public static HttpContent Seed(int service) => Body(service, "seed", "2026-11-21T10:00:00Z", withDiff: false);

    /// <summary>
    /// The measured post number <paramref name="index"/> of a phase: consecutive posts go to
    /// different services (7 is prime to 1,000, so every service is posted once before any twice).
    /// </summary>
    public static HttpContent Measured(string phase, int index) =>
        Body(index * 7 % Services, ArtifactBodies.RunId(phase, index), "2026-11-22T10:00:00Z", withDiff: true);

    private static ByteArrayContent Body(int service, string runId, string generatedAt, bool withDiff)
    {
        var body = new MemoryStream(8 * 1024);
        body.Write(Encoding.UTF8.GetBytes(
            $"{{\"organization\":\"acme\",\"project\":\"p{service % 10}\",\"service\":\"svc-{service:D4}\",\"run_id\":\"{runId}\"," +
            $"\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"generated_at\":\"{generatedAt}\",\"artifact\":"));
        body.Write(Exports[service]);
        if (withDiff)
        {
            body.Write("""
                       ,"diff":
                       """u8);
            body.Write(Diffs[service]);
        }
        body.Write("}"u8);
        var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = Json;
        return content;
    }

    private static string System(int service) => $"Svc{service:D4}:api-service";

    private static JsonObject Export(int service)
    {
        var fields = new JsonArray();
        for (var f = 0; f < Fields; f++)
        {
            var sources = new JsonArray();
            if (f < ReadOffsets.Length)
            {
                var upstream = (service + ReadOffsets[f]) % Services;
                sources.Add(new JsonObject
                {
                    ["kind"] = "api",
                    ["target"] = $"Svc{upstream:D4}.Get",
                    ["path"] = $"response.f{f}",
                    ["scope"] = "cross_repo",
                    ["upstream_system"] = System(upstream),
                    ["contract_ref"] = $"internal://Svc{upstream:D4}.Get",
                });
            }
            fields.Add(new JsonObject
            {
                ["annotation_schema_version"] = "1",
                ["field_id"] = $"svc{service:D4}_f{f}",
                ["field"] = $"response.f{f}",
                ["source_system"] = System(service),
                ["source_version"] = "v2026.11",
                ["transform_type"] = "passthrough",
                ["break_policy"] = "strict",
                ["owner"] = $"team.p{service % 10}",
                ["escalation"] = $"pagerduty:p{service % 10}-oncall",
                ["contract_test_id"] = $"ci://contracts/svc{service:D4}_f{f}",
                ["sources"] = sources,
                ["flow"] = "from @upstream mapped @self",
            });
        }
        return new JsonObject { ["schema_version"] = "1", ["fields"] = fields };
    }

    private static JsonObject Diff(int service)
    {
        JsonObject Change(string severity, string changeType, int field) => new()
        {
            ["severity"] = severity,
            ["change_type"] = changeType,
            ["field_id"] = $"svc{service:D4}_f{field}",
            ["message"] = $"{changeType} on response.f{field}",
            ["impact"] = new JsonObject { ["service"] = System(service), ["api"] = $"svc{service:D4}_f{field}" },
        };
        return new JsonObject
        {
            ["summary"] = new JsonObject { ["total"] = 2, ["high"] = 1, ["medium"] = 0, ["low"] = 1, ["info"] = 0 },
            ["changes"] = new JsonArray(Change("high", "field_type_changed", 0), Change("low", "transform_type_changed", 4)),
        };
    }
}
