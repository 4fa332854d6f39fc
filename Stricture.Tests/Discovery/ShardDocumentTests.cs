using System.Text;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Commits;
using Stricture.Storage.Discovery;
using Stricture.Storage.Drift;

namespace Stricture.Tests.Discovery;

/// <summary>
/// Folding entries into a compacted shard document: whether it takes the copy-and-append way or
/// parses the document, the bytes are exactly those of merging and serializing every entry.
/// </summary>
public sealed class ShardDocumentTests
{
    private static readonly ShardFormat[] Formats = [ShardFormat.DriftIndex, CommitIndex.Format, ShardFormat.Directory];

    [Fact]
    public void Entries_after_the_last_line_are_appended_to_the_same_bytes_a_full_merge_writes()
    {
        foreach (var format in Formats)
        {
            var existing = Runs(0, 5);
            var fresh = Runs(5, 9).Append(Run(7)).Reverse().ToList(); // out of order, with a repeat
            AssertFoldsLikeAFullMerge(existing, through: 3, fresh, newThrough: 6, format);
        }
    }

    [Fact]
    public void Entries_that_belong_before_the_last_line_or_are_already_in_it_are_merged_in_order()
    {
        foreach (var format in Formats)
        {
            AssertFoldsLikeAFullMerge(Runs(0, 10, step: 2), through: 4, Runs(3, 6), newThrough: 5, format); // late runs between existing ones
            AssertFoldsLikeAFullMerge(Runs(0, 5), through: 4, [Run(4), Run(9)], newThrough: 5, format);     // a retried run's repeat, then a new one
        }
    }

    [Fact]
    public void Folding_nothing_new_changes_nothing_and_a_moved_mark_alone_rewrites_only_the_header()
    {
        var document = ShardDocument.Serialize(3, Runs(0, 4));
        Assert.Null(ShardDocument.Fold(document, 3, [Run(2)], ShardFormat.DriftIndex));
        Assert.Null(ShardDocument.Fold(document, 3, [], ShardFormat.DriftIndex));
        Assert.Equal(ShardDocument.Serialize(5, Runs(0, 4)), ShardDocument.Fold(document, 5, [], ShardFormat.DriftIndex));
        Assert.Equal(ShardDocument.Serialize(1, Runs(0, 2)), ShardDocument.Fold(null, 1, Runs(0, 2), ShardFormat.DriftIndex));
        Assert.Equal(5, ShardDocument.ReadThrough(ShardDocument.Serialize(5, Runs(0, 2))));
    }

    [Fact]
    public void A_directory_fold_splices_in_new_and_newer_services_and_keeps_every_other_line_byte_for_byte()
    {
        // One line per service, each with a drift summary and an impact the splice copies without reading.
        var existing = Enumerable.Range(0, 12).Where(i => i % 3 != 1).Select(i => Latest(i, minute: 10)).ToList();
        List<OrgRunEntry>[] folds =
        [
            [Latest(3, minute: 20)],                                          // a newer run of one service
            [Latest(3, minute: 5)],                                           // an older run: changes nothing
            [Latest(1, minute: 10), Latest(13, minute: 10), Latest(0, minute: 11)], // new services before, between and after, and a newer run
            [Latest(6, minute: 30), Latest(6, minute: 40), Latest(6, minute: 35)],   // the newest of several wins
            [Latest(9, minute: 10)],                                          // the same run again
        ];
        foreach (var fresh in folds)
        {
            AssertFoldsLikeAFullMerge(existing, through: 7, fresh, newThrough: 9, ShardFormat.Directory);
            AssertFoldsLikeAFullMerge(existing, through: 9, fresh, newThrough: 9, ShardFormat.Directory);
        }
        var document = ShardDocument.Serialize(7, existing);
        Assert.Null(ShardDocument.Fold(document, 7, [Latest(3, minute: 5), Latest(9, minute: 10)], ShardFormat.Directory));
        // Spliced, not parsed: the document's lines are in order and every fold above keeps its places.
        var body = document.AsSpan(document.AsSpan().IndexOf((byte)'\n') + 1);
        Assert.True(ShardSplice.TryFold(body, 9, folds[2], ShardFormat.Directory, out _, out var changed) && changed);
    }

    [Fact]
    public void Runs_inserted_anywhere_in_a_long_drift_or_commit_shard_give_the_bytes_a_full_merge_writes()
    {
        // 134 lines; new runs before the first, between lines, after the last, and runs already there (kept as first written).
        var existing = Runs(1, 400, step: 3);
        var fresh = new[] { 0, 2, 3, 5, 200, 201, 202, 250, 397, 398, 399, 399 }.Select(Run).ToList();
        foreach (var format in new[] { ShardFormat.DriftIndex, CommitIndex.Format })
        {
            AssertFoldsLikeAFullMerge(existing, through: 40, fresh, newThrough: 52, format);
            AssertFoldsLikeAFullMerge(existing, through: 40, [Run(4), Run(100)], newThrough: 40, format); // nothing new: nothing written

            // Inserted by binary search, not by reading every line.
            var sorted = existing.ToList();
            format.Sort(sorted);
            var document = ShardDocument.Serialize(40, sorted);
            var body = document.AsSpan(document.AsSpan().IndexOf((byte)'\n') + 1);
            Assert.True(ShardSplice.TryInsert(body, 52, fresh, format, out _, out var changed) && changed);
        }
    }

    [Fact]
    public void A_document_whose_lines_are_not_in_order_is_merged_in_full()
    {
        var unsorted = new[] { Latest(5, minute: 10), Latest(2, minute: 10) };
        var document = ShardDocument.Serialize(3, unsorted);
        var expected = ShardDocument.Serialize(4, ShardDocument.Merge(unsorted, [Latest(3, minute: 10)], ShardFormat.Directory)!);

        Assert.Equal(expected, ShardDocument.Fold(document, 4, [Latest(3, minute: 10)], ShardFormat.Directory));
    }

    private static void AssertFoldsLikeAFullMerge(List<OrgRunEntry> existing, long through, List<OrgRunEntry> fresh, long newThrough, ShardFormat format)
    {
        var sorted = existing.ToList();
        format.Sort(sorted);
        var document = ShardDocument.Serialize(through, sorted);
        var merged = ShardDocument.Merge(sorted, fresh, format);
        // Nothing to write when no entry changes and the mark stays.
        var expected = merged is null && newThrough == through ? null : ShardDocument.Serialize(newThrough, merged ?? sorted);

        var folded = ShardDocument.Fold(document, newThrough, fresh, format);

        Assert.True(expected is null ? folded is null : folded is not null && folded.AsSpan().SequenceEqual(expected),
            $"folding must write what a full merge writes:\n{(expected is null ? "null" : Encoding.UTF8.GetString(expected))}\ngot:\n{(folded is null ? "null" : Encoding.UTF8.GetString(folded))}");
    }

    private static List<OrgRunEntry> Runs(int from, int to, int step = 1) =>
        Enumerable.Range(from, to - from).Where(i => (i - from) % step == 0).Select(Run).ToList();

    /// <summary>A run of service i at the given minute, with a drift summary and a brief impact, as the directory keeps it.</summary>
    private static OrgRunEntry Latest(int i, int minute) =>
        new OrgRunEntry("p", $"svc-{i:D2}", $"run-{i:D2}-{minute:D2}", $"k/{i}/{minute}", $"2026-11-22T10:{minute:D2}:00.0000000Z", null, null,
            new DriftSummary(2, 1, 0, 1, 0, new Dictionary<string, int>(), 0, "changes", false, []),
            new RunImpact(ImpactScope.Downstream, 1, 1, 0, [], [])).WithoutChanges();

    /// <summary>Run i of one of three services, later runs later, each of a commit of its own.</summary>
    private static OrgRunEntry Run(int i) =>
        new("p", $"s{i % 3}", $"run-{i:D3}", $"k/{i}", $"2026-11-22T10:{i:D2}:00.0000000Z", null, $"abc{i:D4}", null);
}
