using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Catalog;

/// <summary>Manifests, latest pointers and their rebuild, on the filesystem driver, without HTTP.</summary>
public sealed class RunCatalogTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly RecordStoreHarness _harness;

    public RunCatalogTests() => _harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_manifest_lists_each_run_once_in_run_order_whatever_the_arrival_order()
    {
        await _harness.IngestAsync("c", generatedAt: "2026-11-22T10:00:03Z");
        await _harness.IngestAsync("a", generatedAt: "2026-11-22T10:00:01Z");
        await _harness.IngestAsync("b", generatedAt: "2026-11-22T12:00:02+02:00"); // 10:00:02Z
        await _harness.IngestAsync("a", generatedAt: "2026-11-22T10:00:01Z"); // an identical retry
        await _harness.IngestAsync("tie-z", generatedAt: "2026-11-22T10:00:03Z");

        var manifest = await _harness.ManifestAsync("2026-11-22");

        Assert.Equal(["a", "b", "c", "tie-z"], manifest.Select(entry => entry.RunId));
        Assert.Equal("2026-11-22T10:00:02.0000000Z", manifest[1].GeneratedAt);
        var payload = (await _harness.Store.ReadAsync(manifest[0].Key, default))!;
        Assert.Equal(payload.Sha256, manifest[0].Sha256);
        Assert.Equal(payload.Content.Length, manifest[0].Size);
    }

    [Fact]
    public async Task Latest_follows_generated_at_and_never_moves_backwards()
    {
        await _harness.IngestAsync("newest", generatedAt: "2026-11-21T09:00:00Z");
        await _harness.IngestAsync("older", generatedAt: "2026-11-20T09:00:00Z");
        Assert.Equal("newest", (await _harness.LatestAsync())!.RunId);

        // No generated_at: received_at (the clock, 2026-11-22 12:00) orders it, and it is newer.
        await _harness.IngestAsync("received-later");
        Assert.Equal("received-later", (await _harness.LatestAsync())!.RunId);

        await _harness.IngestAsync("backdated", generatedAt: "2020-01-01T00:00:00Z");
        Assert.Equal("received-later", (await _harness.LatestAsync())!.RunId);
    }

    [Fact]
    public async Task Sixty_four_concurrent_posts_of_one_service_and_day_each_appear_once()
    {
        var runIds = Enumerable.Range(0, 64).Select(i => $"run-{i:D2}").ToList();
        await Task.WhenAll(runIds.Select((id, i) => Task.Run(() => _harness.IngestAsync(id, generatedAt: $"2026-11-22T08:{i / 60:D2}:{i % 60:D2}Z"))));

        var manifest = await _harness.ManifestAsync("2026-11-22");
        Assert.Equal(runIds, manifest.Select(entry => entry.RunId));
        Assert.Equal("run-63", (await _harness.LatestAsync())!.RunId);
    }

    [Fact]
    public async Task A_rebuild_from_the_payloads_alone_writes_exactly_what_ingest_and_compaction_wrote()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        // Drift summaries too: from changes[], from a summary alone, zeros, and none.
        var posts = new (string RunId, string? GeneratedAt, string Service, string? Diff)[]
        {
            ("r1", "2026-11-20T23:59:59.123456789+00:00", "s", "diff-high.json"), ("r2", "2026-11-21T01:00:00-03:00", "s", "diff-summary-only.json"),
            ("r3", null, "s", "diff-none.json"), ("r4", "2026-11-21T04:00:00Z", "s", null), ("r5", "2026-11-19T10:00:00Z", "other", "diff-high.json"),
            ("r6", null, "other", null),
        };
        foreach (var (runId, generatedAt, service, diff) in posts)
        {
            await harness.IngestAsync(runId, generatedAt, commitSha: "abcdef0123456", service: service, diff: diff);
            harness.Clock.Advance(TimeSpan.FromMinutes(7));
        }
        var folded = await harness.Reconciler.ReconcileAsync(default);
        Assert.True(folded.EntriesAdded == 0, "every run was already in its day's segments; compaction only folds them in");
        var incremental = await harness.SnapshotCatalogAsync();
        Assert.Equal(7, incremental.Count); // 5 compacted day manifests and 2 latest pointers
        Assert.True(incremental.Values.Count(text => text.Contains("\"drift\":", StringComparison.Ordinal)) >= 4,
            "the manifests of runs with a diff carry their drift summaries");

        foreach (var key in await harness.ListDerivedAsync())
        {
            File.Delete(Path.Combine(_directory.Path, key));
        }
        var report = await harness.Reconciler.ReconcileAsync(default);

        Assert.Equal(incremental, await harness.SnapshotCatalogAsync());
        Assert.Equal((2, 5, 6, 6, 2, 0), (report.Services, report.Days, report.Runs, report.EntriesAdded, report.PointersMoved, report.Unreadable));

        var again = await harness.Reconciler.ReconcileAsync(default);
        Assert.Equal((0, 0), (again.EntriesAdded, again.PointersMoved));
    }

    [Fact]
    public async Task A_crash_between_the_payload_and_the_catalog_update_is_repaired_by_reconcile()
    {
        await _harness.IngestAsync("before", generatedAt: "2026-11-22T08:00:00Z");
        // The fake: a process dying exactly between the payload's commit and the catalog's cannot be
        // produced on demand by the real filesystem, so catalog writes fail as if it had died there.
        var crashing = new RecordStoreHarness(new CatalogWritesFail(_harness.Store), _harness.Clock);
        await Assert.ThrowsAsync<IOException>(() => crashing.Records.IngestAsync(RecordStoreHarness.Submission("lost", generatedAt: "2026-11-22T09:00:00Z"), default));
        Assert.NotNull(await _harness.Store.ReadAsync("stricture/v1/org=acme/project=p/service=s/runs/run=lost.json", default));
        Assert.Equal(["before"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));

        var report = await _harness.Reconciler.ReconcileAsync(default);

        Assert.Equal((1, 1), (report.EntriesAdded, report.PointersMoved));
        Assert.Equal(["before", "lost"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
        Assert.Equal("lost", (await _harness.LatestAsync())!.RunId);
    }

    [Fact]
    public async Task A_server_listing_a_run_while_reconcile_reads_it_leaves_one_entry()
    {
        await _harness.IngestAsync("before", generatedAt: "2026-11-22T08:00:00Z");
        var crashing = new RecordStoreHarness(new CatalogWritesFail(_harness.Store), _harness.Clock);
        await Assert.ThrowsAsync<IOException>(() => crashing.Records.IngestAsync(RecordStoreHarness.Submission("raced", generatedAt: "2026-11-22T09:00:00Z"), default));
        // Reconcile finds the run unlisted and reads it; meanwhile a server (the client's retry) lists it.
        // The fake is only for the timing: the retry runs exactly between reconcile's two reads of the day.
        var racing = new RecordStoreHarness(
            new ListsMeanwhile(_harness.Store, "/runs/run=raced.json", () => _harness.IngestAsync("raced", generatedAt: "2026-11-22T09:00:00Z")), _harness.Clock);

        var report = await racing.Reconciler.ReconcileAsync(default);

        Assert.Equal(0, report.EntriesAdded);
        Assert.Equal(["before", "raced"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
    }

    [Fact]
    public async Task The_clients_retry_also_repairs_a_catalog_the_crash_left_behind()
    {
        var crashing = new RecordStoreHarness(new CatalogWritesFail(_harness.Store), _harness.Clock);
        await Assert.ThrowsAsync<IOException>(() => crashing.Records.IngestAsync(RecordStoreHarness.Submission("retried"), default));

        var retry = await _harness.IngestAsync("retried");

        Assert.False(retry.Created);
        Assert.Equal(["retried"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
        Assert.Equal("retried", (await _harness.LatestAsync())!.RunId);
    }

    [Fact]
    public async Task Reconcile_leaves_out_a_corrupted_payload_and_reports_it()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        var good = await harness.IngestAsync("good");
        var bad = await harness.IngestAsync("bad");
        foreach (var key in await harness.ListDerivedAsync())
        {
            File.Delete(Path.Combine(_directory.Path, key));
        }
        var path = Path.Combine(_directory.Path, bad.Location);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes); // rewrites in place: the recorded hash stays

        var report = await harness.Reconciler.ReconcileAsync(default);

        Assert.Equal(1, report.Unreadable);
        Assert.Equal([good.RunId], (await harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
    }

    /// <summary>A store whose manifest and latest-pointer commits fail; everything else passes through.</summary>
    private sealed class CatalogWritesFail(IObjectStore inner) : IObjectStore
    {
        public Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken) =>
            inner.StageAsync(writeContent, cancellationToken);


        public Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken) =>
            IsCatalog(key) ? throw new IOException("simulated crash") : inner.CommitIfAbsentAsync(staged, key, cancellationToken);

        public Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken) =>
            IsCatalog(key) ? throw new IOException("simulated crash") : inner.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);

        public Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

        public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

        public Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken) =>
            inner.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);

        public Task ProbeWritableAsync(CancellationToken cancellationToken) => inner.ProbeWritableAsync(cancellationToken);

        private static bool IsCatalog(string key) =>
            key.Contains("/manifests/", StringComparison.Ordinal) || key.EndsWith("/latest.json", StringComparison.Ordinal);
    }

    /// <summary>Runs <c>meanwhile</c> once, right after the first read of a key ending in <c>keySuffix</c> completes.</summary>
    private sealed class ListsMeanwhile(IObjectStore store, string keySuffix, Func<Task> meanwhile) : ForwardingObjectStore(store)
    {
        private int _fired;

        public override async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
        {
            var read = await base.ReadAsync(key, cancellationToken);
            if (key.EndsWith(keySuffix, StringComparison.Ordinal) && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await meanwhile();
            }
            return read;
        }
    }
}
