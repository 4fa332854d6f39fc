using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Catalog;

/// <summary>
/// The append-only day log on the filesystem driver, without HTTP: a post writes one small new
/// segment whatever the day holds; a day reads as its compacted manifest plus later segments;
/// compaction interrupted anywhere loses nothing and repeats to the same bytes.
/// </summary>
public sealed class ManifestSegmentTests : IDisposable
{
    private const string Day = "2026-11-22";
    private const string DayPrefix = "stricture/v1/org=acme/project=p/service=s/manifests/date=2026-11-22";
    private static readonly DateOnly Date = new(2026, 11, 22);

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_post_to_a_day_of_three_hundred_runs_reads_nothing_that_grows_and_writes_one_small_segment()
    {
        var counting = new CountingStore(new FileSystemObjectStore(_directory.Path));
        var harness = new RecordStoreHarness(counting, compactInBackground: false);
        for (var i = 0; i < 300; i++)
        {
            await harness.IngestAsync($"run-{i:D3}", generatedAt: $"2026-11-22T08:{i / 60:D2}:{i % 60:D2}Z");
        }
        await harness.Catalog.CompactAsync(RecordStoreHarness.Service, Date, [], default);
        var compactedBytes = (await harness.Store.ReadAsync(DayPrefix + ".jsonl", default))!.Content.Length;

        counting.Reset();
        await harness.IngestAsync("one-more", generatedAt: "2026-11-22T09:00:00Z");

        Assert.True(counting.BytesRead < 2_000, $"a post must not read the day's manifest ({compactedBytes} B); it read {counting.BytesRead} B");
        Assert.True(counting.BytesStaged < 4_000, $"a post must write its own objects only, not the day's manifest; it wrote {counting.BytesStaged} B");
        Assert.Contains(DayPrefix + "/seg=000000000301.jsonl", counting.Created);
        Assert.DoesNotContain(counting.Created.Concat(counting.Replaced), key => key == DayPrefix + ".jsonl");
    }

    [Fact]
    public async Task A_background_compaction_takes_the_segments_its_process_wrote_from_memory_and_reads_those_another_writer_appended()
    {
        var counting = new CountingStore(new FileSystemObjectStore(_directory.Path));
        var first = new RecordStoreHarness(counting, compactInBackground: true);
        var other = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        await first.IngestAsync("a", generatedAt: "2026-11-22T08:00:00Z");  // segment 1
        await first.IngestAsync("b", generatedAt: "2026-11-22T08:00:01Z");  // segment 2
        await other.IngestAsync("c", generatedAt: "2026-11-22T08:00:02Z");  // segment 3, by another writer
        await first.IngestAsync("d", generatedAt: "2026-11-22T08:00:03Z");  // segment 4: 3 is taken, a lost race

        // Compaction runs in the background, 0.5 s or more after the last append; wait for its mark (bounded, not timed).
        var mark = Path.Combine(_directory.Path, DayPrefix, "compacted.json");
        for (var waited = 0; waited < 600 && !(File.Exists(mark) && await File.ReadAllTextAsync(mark) == """{"through":4}"""); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("""{"through":4}""", await File.ReadAllTextAsync(mark));
        Assert.Equal(["a", "b", "c", "d"], ManifestDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory.Path, DayPrefix + ".jsonl"))).Select(e => e.RunId));
        var segmentReads = counting.Reads.Where(key => key.StartsWith(DayPrefix + "/seg=", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([DayPrefix + "/seg=000000000003.jsonl", DayPrefix + "/seg=000000000005.jsonl"], segmentReads.Distinct());
    }

    [Fact]
    public async Task A_day_reads_as_its_compacted_manifest_and_the_segments_after_its_mark_each_run_once()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        await harness.IngestAsync("a", generatedAt: "2026-11-22T08:00:00Z");
        await harness.IngestAsync("b", generatedAt: "2026-11-22T08:00:02Z");
        await harness.Catalog.CompactAsync(RecordStoreHarness.Service, Date, [], default);
        await harness.IngestAsync("c", generatedAt: "2026-11-22T08:00:01Z");
        await harness.IngestAsync("a", generatedAt: "2026-11-22T08:00:00Z"); // an identical retry: a segment again, a run once

        Assert.Equal("""{"through":2}""", await File.ReadAllTextAsync(Path.Combine(_directory.Path, DayPrefix, "compacted.json")));
        Assert.Equal(["a", "c", "b"], (await harness.ManifestAsync(Day)).Select(entry => entry.RunId));
        Assert.Equal(["a", "b"], ManifestDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory.Path, DayPrefix + ".jsonl"))).Select(e => e.RunId));
    }

    [Fact]
    public async Task A_compaction_killed_before_its_mark_moves_loses_nothing_and_a_repeat_writes_the_same_bytes()
    {
        var store = new FileSystemObjectStore(_directory.Path);
        var harness = new RecordStoreHarness(store, compactInBackground: false);
        foreach (var (runId, second) in new[] { ("x", 3), ("y", 1), ("z", 2) })
        {
            await harness.IngestAsync(runId, generatedAt: $"2026-11-22T08:00:0{second}Z");
        }
        // The fake: a process dying between the manifest's commit and the mark's cannot be produced on
        // demand, so the mark's commit fails as if it had died there.
        var dying = new RecordStoreHarness(new MarkWritesFail(store), harness.Clock, compactInBackground: false);
        await Assert.ThrowsAsync<IOException>(() => dying.Catalog.CompactAsync(RecordStoreHarness.Service, Date, [], default));
        var manifestPath = Path.Combine(_directory.Path, DayPrefix + ".jsonl");
        var afterCrash = await File.ReadAllBytesAsync(manifestPath);
        Assert.False(File.Exists(Path.Combine(_directory.Path, DayPrefix, "compacted.json")), "the mark must not have moved");
        Assert.Equal(["y", "z", "x"], (await harness.ManifestAsync(Day)).Select(entry => entry.RunId));

        Assert.False(await harness.Catalog.CompactAsync(RecordStoreHarness.Service, Date, [], default), "a repeat finds nothing to add");

        Assert.Equal(afterCrash, await File.ReadAllBytesAsync(manifestPath));
        Assert.Equal("""{"through":3}""", await File.ReadAllTextAsync(Path.Combine(_directory.Path, DayPrefix, "compacted.json")));
        Assert.Equal(["y", "z", "x"], (await harness.ManifestAsync(Day)).Select(entry => entry.RunId));
    }

    [Fact]
    public async Task Two_writers_on_one_store_number_their_segments_without_a_gap_and_lose_no_run()
    {
        var store = new FileSystemObjectStore(_directory.Path);
        var first = new RecordStoreHarness(store, compactInBackground: false);
        var second = new RecordStoreHarness(store, first.Clock, compactInBackground: false);
        var runIds = Enumerable.Range(0, 80).Select(i => $"run-{i:D2}").ToList();

        await Task.WhenAll(runIds.Select((runId, i) => Task.Run(() =>
            (i % 2 == 0 ? first : second).IngestAsync(runId, generatedAt: $"2026-11-22T08:{i / 60:D2}:{i % 60:D2}Z"))));

        var segments = Directory.GetFiles(Path.Combine(_directory.Path, DayPrefix), "seg=*.jsonl").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, segments.Count).Select(n => $"seg={n:D12}.jsonl"), segments);
        Assert.Equal(runIds, (await first.ManifestAsync(Day)).Select(entry => entry.RunId));
        Assert.Equal(runIds, (await second.ManifestAsync(Day)).Select(entry => entry.RunId));
        Assert.Equal("run-79", (await second.LatestAsync())!.RunId);
    }

    [Fact]
    public async Task A_writer_that_knows_nothing_of_a_day_appends_after_its_last_segment()
    {
        var store = new FileSystemObjectStore(_directory.Path);
        var earlier = new RecordStoreHarness(store, compactInBackground: false);
        for (var i = 0; i < 37; i++)
        {
            await earlier.IngestAsync($"early-{i:D2}", generatedAt: $"2026-11-22T07:00:{i:D2}Z");
            if (i == 20)
            {
                await earlier.Catalog.CompactAsync(RecordStoreHarness.Service, Date, [], default);
            }
        }

        var restarted = new RecordStoreHarness(store, earlier.Clock, compactInBackground: false);
        await restarted.IngestAsync("late", generatedAt: "2026-11-22T08:00:00Z");

        Assert.True(File.Exists(Path.Combine(_directory.Path, DayPrefix, "seg=000000000038.jsonl")), "the new writer must find segment 37 and append 38");
        Assert.Equal(38, (await restarted.ManifestAsync(Day)).Count);
    }

    /// <summary>Counts what passes through to the store: bytes read and staged, keys created and replaced.</summary>
    private sealed class CountingStore(IObjectStore inner) : IObjectStore
    {
        private long _bytesRead;
        private long _bytesStaged;

        public long BytesRead => Interlocked.Read(ref _bytesRead);
        public long BytesStaged => Interlocked.Read(ref _bytesStaged);
        public System.Collections.Concurrent.ConcurrentBag<string> Created { get; private set; } = [];
        public System.Collections.Concurrent.ConcurrentBag<string> Replaced { get; private set; } = [];
        public System.Collections.Concurrent.ConcurrentBag<string> Reads { get; private set; } = [];

        public void Reset()
        {
            Interlocked.Exchange(ref _bytesRead, 0);
            Interlocked.Exchange(ref _bytesStaged, 0);
            Created = [];
            Replaced = [];
            Reads = [];
        }

        public async Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
        {
            var staged = await inner.StageAsync(writeContent, cancellationToken);
            Interlocked.Add(ref _bytesStaged, staged.Length);
            return staged;
        }


        public Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
        {
            Created.Add(key);
            return inner.CommitIfAbsentAsync(staged, key, cancellationToken);
        }

        public Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken)
        {
            Replaced.Add(key);
            return inner.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);
        }

        public async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
        {
            Reads.Add(key);
            var stored = await inner.ReadAsync(key, cancellationToken);
            Interlocked.Add(ref _bytesRead, stored?.Content.Length ?? 0);
            return stored;
        }

        public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

        public Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken) =>
            inner.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);

        public Task ProbeWritableAsync(CancellationToken cancellationToken) => inner.ProbeWritableAsync(cancellationToken);
    }

    /// <summary>A store whose compaction-mark commits fail; everything else passes through.</summary>
    private sealed class MarkWritesFail(IObjectStore inner) : IObjectStore
    {
        public Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken) =>
            inner.StageAsync(writeContent, cancellationToken);


        public Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken) =>
            IsMark(key) ? throw new IOException("simulated crash") : inner.CommitIfAbsentAsync(staged, key, cancellationToken);

        public Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken) =>
            IsMark(key) ? throw new IOException("simulated crash") : inner.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);

        public Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

        public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

        public Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken) =>
            inner.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);

        public Task ProbeWritableAsync(CancellationToken cancellationToken) => inner.ProbeWritableAsync(cancellationToken);

        private static bool IsMark(string key) => key.EndsWith("/compacted.json", StringComparison.Ordinal);
    }
}
