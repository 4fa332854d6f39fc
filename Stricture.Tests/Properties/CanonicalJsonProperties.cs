using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stricture.Ingest.Requests;
using Stricture.Storage.Records;

namespace Stricture.Tests.Properties;

/// <summary>
/// The canonical form of stored JSON, as documented on <see cref="JsonCompactor"/> and
/// <see cref="RunEnvelope"/>: insignificant whitespace and string escapes make no difference, member
/// order and number text are kept, compacting twice changes nothing, and a post's content
/// fingerprint ignores the order of its top-level fields.
/// </summary>
public sealed class CanonicalJsonProperties
{
    private static readonly Arbitrary<(JsonValueModel Value, int Formatting)> Values = Arb.From(Generators.FormattedJson);

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property Two_renderings_of_one_value_compact_to_the_same_bytes() => Prop.ForAll(
        Arb.From(Generators.FormattedJson.Zip(Gen.Choose(0, int.MaxValue), (value, other) => (value.Value, value.Formatting, other))),
        input =>
        {
            var first = input.Value.Render(input.Formatting);
            var second = input.Value.Render(input.other);

            Assert.True(Compact(first) == Compact(second), $"{first}\nand\n{second}\nare the same value and must compact alike");
        });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property Compacting_is_idempotent_and_keeps_the_value() => Prop.ForAll(Values, input =>
    {
        var rendered = input.Value.Render(input.Formatting);

        var once = Compact(rendered);

        Assert.True(once == Compact(once), $"compacting {once} again must change nothing");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rendered), JsonNode.Parse(once)), $"{once} must hold the value of {rendered}");
    });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property Member_order_is_kept() => Prop.ForAll(
        Arb.From(Generators.JsonObject(2).Where(value => value is JsonValueModel.Object { Members.Count: >= 2 })),
        value =>
        {
            var members = ((JsonValueModel.Object)value).Members;
            var reversed = new JsonValueModel.Object([.. members.Reverse()]);

            var names = CompactedNames(Compact(reversed.Render(0)));

            Assert.True(names.SequenceEqual(members.Reverse().Select(m => m.Name)), "the canonical form keeps members in the order they were posted");
        });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property A_posts_fingerprint_ignores_top_level_field_order_and_formatting() => Prop.ForAll(
        Arb.From(from artifact in Generators.FormattedJson
                 from metadata in Generators.JsonObject(1)
                 from order in Gen.Shuffle(["organization", "project", "service", "run_id", "artifact", "metadata", "summary"])
                 select (artifact.Value, artifact.Formatting, metadata, order)),
        input =>
        {
            var summary = new JsonValueModel.String("# Lineage\n\"quoted\" é \ud83d\ude00");
            string Post(IEnumerable<string> order, int formatting) => "{" + string.Join(",", order.Select(field => $"\"{field}\":" + field switch
            {
                "artifact" => input.Value.Render(formatting),
                "metadata" => input.metadata.Render(formatting + 1),
                "summary" => summary.Render(formatting + 2),
                "organization" => "\"acme\"",
                "project" => "\"checkout\"",
                "service" => "\"api\"",
                _ => "\"run-1\"",
            })) + "}";

            var canonical = Fingerprint(Post(["organization", "project", "service", "run_id", "artifact", "metadata", "summary"], 0));
            var shuffled = Fingerprint(Post(input.order, input.Formatting));

            Assert.True(canonical == shuffled, $"field order {string.Join(",", input.order)} and other formatting must not change the fingerprint");
        });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property A_records_values_are_their_compacted_forms() => Prop.ForAll(
        Arb.From(from artifact in Generators.FormattedJson
                 from metadata in Generators.JsonObject(1)
                 select (artifact.Value, artifact.Formatting, metadata)),
        input => AssertRecordHoldsCompactedValues(
            input.Value.Render(input.Formatting), input.metadata.Render(input.Formatting + 1), "\"# Lineage \\u00e9\\n\""));

    [Fact]
    public void A_submission_too_large_to_keep_compacted_is_compacted_as_written_into_the_same_form()
    {
        var nodes = string.Join(",", Enumerable.Range(0, 8000).Select(i => $"{{ \"id\" : \"node-{i}\", \"fields\" : [ 1 , 2.50 , \"\\u0041\" ] }}"));
        var artifact = $"{{ \"nodes\" : [ {nodes} ] }}";
        Assert.True(artifact.Length > CompactedValues.Limit, "the artifact must be past the size kept in memory");

        AssertRecordHoldsCompactedValues(artifact, "{ \"ci\" : true }", "\"summary\"");
    }

    /// <summary>Fingerprints a post and writes its record (as ingest does), and checks the record's values byte for byte.</summary>
    private static void AssertRecordHoldsCompactedValues(string artifact, string metadata, string summary)
    {
        var post = $"{{\"organization\":\"acme\",\"project\":\"checkout\",\"service\":\"api\",\"artifact\":{artifact},\"metadata\":{metadata},\"summary\":{summary}}}";
        Assert.True(SubmissionParser.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(post)), out var submission, out var problem), problem?.Detail);
        var fingerprint = RunEnvelope.Fingerprint(submission, "run-1");
        using var record = new MemoryStream();
        RunEnvelope.WriteAsync(record, submission, "run-1", new RunEnvelope.ServerFields("2026-12-06T00:00:00.0000000Z", fingerprint), default).GetAwaiter().GetResult();

        using var document = JsonDocument.Parse(record.ToArray());
        Assert.Equal(Compact(artifact), document.RootElement.GetProperty("artifact").GetRawText());
        Assert.Equal(Compact(metadata), document.RootElement.GetProperty("metadata").GetRawText());
        Assert.Equal(Compact(summary), document.RootElement.GetProperty("summary").GetRawText());
    }

    private static string Compact(string json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonCompactor.Write(writer, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<string> CompactedNames(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(property => property.Name)];
    }

    private static string Fingerprint(string post)
    {
        Assert.True(SubmissionParser.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(post)), out var submission, out var problem),
            $"{post} must be a valid post: {problem?.Detail}");
        return RunEnvelope.Fingerprint(submission, "run-1");
    }
}
