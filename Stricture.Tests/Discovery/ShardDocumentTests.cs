using System.Text;
using Stricture.Storage.Commits;
using Stricture.Storage.Discovery;

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

    private static void AssertFoldsLikeAFullMerge(List<OrgRunEntry> existing, long through, List<OrgRunEntry> fresh, long newThrough, ShardFormat format)
    {
        var sorted = existing.ToList();
        format.Sort(sorted);
        var document = ShardDocument.Serialize(through, sorted);
        var expected = ShardDocument.Serialize(newThrough, ShardDocument.Merge(sorted, fresh, format) ?? sorted);

        var folded = ShardDocument.Fold(document, newThrough, fresh, format);

        Assert.True(folded is not null && folded.AsSpan().SequenceEqual(expected),
            $"folding must write what a full merge writes:\n{Encoding.UTF8.GetString(expected)}\ngot:\n{(folded is null ? "null" : Encoding.UTF8.GetString(folded))}");
    }

    private static List<OrgRunEntry> Runs(int from, int to, int step = 1) =>
        Enumerable.Range(from, to - from).Where(i => (i - from) % step == 0).Select(Run).ToList();

    /// <summary>Run i of one of three services, later runs later, each of a commit of its own.</summary>
    private static OrgRunEntry Run(int i) =>
        new("p", $"s{i % 3}", $"run-{i:D3}", $"k/{i}", $"2026-11-22T10:{i:D2}:00.0000000Z", null, $"abc{i:D4}", null);
}
