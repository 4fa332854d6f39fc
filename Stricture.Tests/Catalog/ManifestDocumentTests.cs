using System.Text;
using Stricture.Storage.Catalog;

namespace Stricture.Tests.Catalog;

/// <summary>Merging runs into a manifest's bytes: the in-order append and the full merge give the same file.</summary>
public sealed class ManifestDocumentTests
{
    [Fact]
    public void Appending_in_order_gives_the_bytes_of_a_full_merge()
    {
        var entries = Enumerable.Range(0, 50).Select(i => Entry($"run-{i:D2}", $"2026-11-22T10:00:{i:D2}.0000000Z")).ToList();
        byte[] incremental = [];
        foreach (var batch in entries.Chunk(7))
        {
            incremental = ManifestDocument.MergeInto(incremental, batch)!;
        }

        Assert.Equal(ManifestDocument.Serialize(entries), incremental);
    }

    [Fact]
    public void Runs_out_of_order_and_repeated_runs_give_the_canonical_file()
    {
        var late = Entry("late", "2026-11-22T09:00:00.0000000Z");
        var first = Entry("first", "2026-11-22T10:00:00.0000000Z");
        var second = Entry("second", "2026-11-22T11:00:00.0000000Z");
        var content = ManifestDocument.MergeInto([], [second, first])!;

        var merged = ManifestDocument.MergeInto(content, [late, first, late])!;

        Assert.Equal(ManifestDocument.Serialize([late, first, second]), merged);
        Assert.Null(ManifestDocument.MergeInto(merged, [second, late]));
    }

    [Fact]
    public void A_manifest_written_by_other_means_is_parsed_in_full()
    {
        // Same runs, but with another field order and spacing: not this code's canonical bytes.
        var foreign = Encoding.UTF8.GetBytes(
            "{ \"key\": \"k/a\", \"run_id\": \"a\", \"sha256\": \"00\", \"size\": 1, \"received_at\": \"2026-11-22T10:00:00.0000000Z\" }\n");

        var merged = ManifestDocument.MergeInto(foreign, [Entry("b", "2026-11-22T11:00:00.0000000Z"), Entry("a", "2026-11-22T10:00:00.0000000Z")])!;

        Assert.Equal(["a", "b"], ManifestDocument.Parse(merged).Select(entry => entry.RunId));
    }

    [Fact]
    public void Runs_spliced_in_between_lines_left_unparsed_give_the_canonical_file()
    {
        // Lines with drift (a nested object after the ordering fields) and without generated_at (ordered
        // by received_at), and additions before, between, after and equal in time to them, some listed already.
        var drift = Stricture.Storage.Drift.DriftSummary.FromDiff(System.Text.Json.JsonDocument.Parse(
            """{"changes":[{"severity":"high"},{"severity":"low"}]}""").RootElement);
        var random = new Random(20261206);
        ManifestEntry Run(int i) => new(
            $"run-{random.Next(100_000):D5}-{i}", $"k/{i}", new string('a', 64), i,
            $"2026-11-22T{random.Next(24):D2}:{random.Next(60):D2}:00.0000000Z",
            random.Next(3) == 0 ? null : $"2026-11-22T{random.Next(24):D2}:00:00.0000000Z", null, random.Next(2) == 0 ? drift : null);
        var listed = Enumerable.Range(0, 400).Select(Run).ToList();
        var current = ManifestDocument.Serialize([.. listed.Order(RunOrder.Instance)]);
        List<ManifestEntry> additions = [.. Enumerable.Range(400, 60).Select(Run), .. listed.Take(20)];
        additions.Add(additions[0]);

        var spliced = ManifestDocument.MergeInto(current, additions);

        Assert.Equal(ManifestDocument.Serialize(ManifestDocument.Merge(ManifestDocument.Parse(current), additions)!), spliced);
        Assert.Null(ManifestDocument.MergeInto(spliced, additions));
    }

    private static ManifestEntry Entry(string runId, string occurredAt) =>
        new(runId, $"stricture/v1/org=a/project=p/service=s/date=2026-11-22/run={runId}/payload.json", new string('a', 64), 100, occurredAt, null, null);
}
