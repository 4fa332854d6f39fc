using System.Collections.Concurrent;
using Stricture.Storage.Discovery;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Discovery;

/// <summary>
/// An organization shard's log on the filesystem driver, with two writers: a background compaction
/// takes the segments its own process created from memory and reads only the others, and a
/// compaction that must see the store as it is (reconcile) reads every segment.
/// </summary>
public sealed class ShardLogTests : IDisposable
{
    private const string ShardKey = "stricture/v1/org=acme/services/shard=03";

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_background_compaction_reads_only_the_segments_another_writer_appended()
    {
        var store = new ReadRecordingStore(new FileSystemObjectStore(_directory.Path));
        var mine = new ShardLog(store, new StorageTelemetry(new TestMeterFactory()));
        var other = new ShardLog(new FileSystemObjectStore(_directory.Path), new StorageTelemetry(new TestMeterFactory()));
        await mine.AppendAsync(ShardKey, [Run("a")], ShardFormat.DriftIndex, default);   // segment 1
        await mine.AppendAsync(ShardKey, [Run("b")], ShardFormat.DriftIndex, default);   // segment 2
        await other.AppendAsync(ShardKey, [Run("c")], ShardFormat.DriftIndex, default);  // segment 3, another writer's
        await mine.AppendAsync(ShardKey, [Run("d")], ShardFormat.DriftIndex, default);   // segment 4, after a lost race

        Assert.True(await mine.CompactAsync(ShardKey, [], ShardFormat.DriftIndex, default, fromMemory: true));

        var (through, entries) = ShardDocument.Parse((await store.ReadAsync(OrgKeys.Compacted(ShardKey), default))!.Content.Span, withHeader: true);
        Assert.Equal(4, through);
        Assert.Equal(["a", "b", "c", "d"], entries.Select(entry => entry.RunId));
        Assert.Equal([OrgKeys.Segment(ShardKey, 3), OrgKeys.Segment(ShardKey, 5)],
            store.Reads.Where(key => key.StartsWith(ShardKey + "/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_compaction_not_from_memory_sees_a_segment_deleted_by_hand_as_the_end_of_the_log()
    {
        var store = new ReadRecordingStore(new FileSystemObjectStore(_directory.Path));
        var log = new ShardLog(store, new StorageTelemetry(new TestMeterFactory()));
        await log.AppendAsync(ShardKey, [Run("a")], ShardFormat.DriftIndex, default);
        await log.AppendAsync(ShardKey, [Run("b")], ShardFormat.DriftIndex, default);
        File.Delete(Path.Combine(_directory.Path, OrgKeys.Segment(ShardKey, 2)));

        await log.CompactAsync(ShardKey, [], ShardFormat.DriftIndex, default);

        var (through, entries) = ShardDocument.Parse((await store.ReadAsync(OrgKeys.Compacted(ShardKey), default))!.Content.Span, withHeader: true);
        Assert.Equal(1, through);
        Assert.Equal(["a"], entries.Select(entry => entry.RunId));
    }

    [Fact]
    public async Task A_compaction_reports_the_size_of_the_document_it_leaves_which_paces_the_next_one()
    {
        var log = new ShardLog(new FileSystemObjectStore(_directory.Path), new StorageTelemetry(new TestMeterFactory()));
        await log.AppendAsync(ShardKey, [Run("a"), Run("b")], ShardFormat.DriftIndex, default);
        var compacted = Path.Combine(_directory.Path, OrgKeys.Compacted(ShardKey));

        int? folded = null;
        Assert.True(await log.CompactAsync(ShardKey, [], ShardFormat.DriftIndex, default, sized: size => folded = size));
        Assert.Equal((int)new FileInfo(compacted).Length, folded);

        int? unchanged = null;
        Assert.False(await log.CompactAsync(ShardKey, [Run("a")], ShardFormat.DriftIndex, default, sized: size => unchanged = size));
        Assert.Equal(folded, unchanged);
    }

    private static OrgRunEntry Run(string runId) =>
        new("p", "s", runId, $"stricture/v1/org=acme/project=p/service=s/date=2026-11-22/run={runId}/payload.json",
            "2026-11-22T09:00:00.0000000Z", $"2026-11-22T08:00:0{runId[0] - 'a'}.0000000Z", null, null);

    /// <summary>Records every key read, so a test can say which segments a compaction read.</summary>
    private sealed class ReadRecordingStore(IObjectStore store) : ForwardingObjectStore(store)
    {
        public ConcurrentBag<string> Reads { get; } = [];

        public override Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
        {
            Reads.Add(key);
            return base.ReadAsync(key, cancellationToken);
        }
    }
}
