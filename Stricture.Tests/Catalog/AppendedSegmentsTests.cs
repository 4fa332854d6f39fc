using Stricture.Storage.Catalog;

namespace Stricture.Tests.Catalog;

/// <summary>
/// What a process remembers of the segments it appended: their content as written, parsed back for
/// its own compaction exactly as a read of the store would be, until a compaction folds them.
/// </summary>
public sealed class AppendedSegmentsTests
{
    private const string Day = "stricture/v1/org=acme/project=p/service=s/manifests/date=2026-11-22.jsonl";

    private readonly AppendedSegments<ManifestEntry> _appended = new(content => ManifestDocument.Parse(content.Span));

    [Fact]
    public void A_created_segment_reads_back_as_the_entries_written_in_their_order()
    {
        List<ManifestEntry> written = [Entry("run-b", "2026-11-22T08:00:00Z"), Entry("run-a", "2026-11-22T09:00:00Z")];
        _appended.Created(Day, 1, ManifestDocument.Serialize(written));

        Assert.Equal(written, _appended.EntriesOf(Day, 1));
        Assert.Equal(1, _appended.Tip(Day));
    }

    [Fact]
    public void Each_read_is_a_list_of_its_own_so_a_caller_changing_it_changes_nothing_remembered()
    {
        _appended.Created(Day, 1, ManifestDocument.Serialize([Entry("run-a", "2026-11-22T08:00:00Z")]));

        _appended.EntriesOf(Day, 1)!.Clear();

        Assert.Single(_appended.EntriesOf(Day, 1)!);
    }

    [Fact]
    public void Folded_segments_are_forgotten_and_the_tip_stays_the_last_created()
    {
        for (var number = 1; number <= 3; number++)
        {
            _appended.Created(Day, number, ManifestDocument.Serialize([Entry($"run-{number}", "2026-11-22T08:00:00Z")]));
        }

        _appended.Folded(Day, after: 0, through: 2);

        Assert.Null(_appended.EntriesOf(Day, 1));
        Assert.Null(_appended.EntriesOf(Day, 2));
        Assert.Equal("run-3", Assert.Single(_appended.EntriesOf(Day, 3)!).RunId);
        Assert.Equal(3, _appended.Tip(Day));
        Assert.Null(_appended.EntriesOf("another/day.jsonl", 3));
    }

    private static ManifestEntry Entry(string runId, string occurredAt) =>
        new(runId, $"stricture/v1/org=acme/project=p/service=s/runs/{runId}.json", new string('a', 64), 4_096, occurredAt, occurredAt, null);
}
