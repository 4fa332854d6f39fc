using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;
using static Stricture.Tests.BlastRadius.BlastRadiusScenario;

namespace Stricture.Tests.BlastRadius;

/// <summary>
/// Where the process is the store's only writer (the filesystem driver), the blast-radius index
/// answers a system it has read, and the catalog a latest pointer it has written, from memory kept in
/// step with its own writes; on a store other processes write, every answer is read.
/// </summary>
public sealed class SingleWriterViewsTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly RecordKeys _keys = new("stricture");

    [Fact]
    public async Task A_system_once_read_is_answered_from_its_view_which_follows_every_entry_the_index_writes()
    {
        var store = new CountingStore(new FileSystemObjectStore(_directory.Path), singleWriter: true);
        var index = NewCatalog(store).BlastRadius;
        await IndexAsync(index, Core, "c1", 1, CoreExport());
        await IndexAsync(index, Ledger, "l1", 1, LedgerExport(readsCore: true));

        Assert.Equal(["commerce/core", "finance/ledger"], await ServicesOfCoreSystemAsync(index));
        var listings = store.Listings;
        await IndexAsync(index, Gateway, "g1", 1, GatewayExport());          // a new consumer
        await IndexAsync(index, Ledger, "l2", 2, LedgerExport(readsCore: false)); // a consumer that stops consuming

        Assert.Equal(["commerce/core", "storefront/gateway"], await ServicesOfCoreSystemAsync(index));
        Assert.True(store.Listings == listings, "the system's view was kept in step with the entries written, so nothing was listed again");
        Assert.Equal(["commerce/core", "storefront/gateway"], await ServicesOfCoreSystemAsync(NewCatalog(store).BlastRadius));
    }

    [Fact]
    public async Task On_a_store_several_processes_write_every_classification_reads_the_system()
    {
        var store = new CountingStore(new FileSystemObjectStore(_directory.Path), singleWriter: false);
        var index = NewCatalog(store).BlastRadius;
        await IndexAsync(index, Core, "c1", 1, CoreExport());

        await ServicesOfCoreSystemAsync(index);
        await ServicesOfCoreSystemAsync(index);

        Assert.Equal(2, store.Listings);
    }

    [Fact]
    public async Task An_export_that_repeats_the_last_one_costs_the_single_writer_no_request()
    {
        var store = new CountingStore(new FileSystemObjectStore(_directory.Path), singleWriter: true);
        var catalog = NewCatalog(store);
        var ledger = ServiceIdentity.Create(Organization, Ledger.Project, Ledger.Service);
        await catalog.AdvanceLatestAsync(_keys.Latest(ledger), [Run("l1", 1)], CancellationToken.None);
        await IndexAsync(catalog.BlastRadius, Ledger, "l1", 1, LedgerExport());
        // As ingest does: the run is the latest before its export is indexed.
        await catalog.AdvanceLatestAsync(_keys.Latest(ledger), [Run("l2", 2)], CancellationToken.None);
        var (reads, commits) = (store.Reads, store.Commits);

        await IndexAsync(catalog.BlastRadius, Ledger, "l2", 2, LedgerExport());

        Assert.Equal((reads, commits), (store.Reads, store.Commits));
        Assert.Equal(["finance/ledger"], await ServicesOfCoreSystemAsync(NewCatalog(store).BlastRadius));
    }

    [Fact]
    public async Task A_latest_pointer_the_single_writer_wrote_is_answered_without_a_read_and_one_written_elsewhere_is_read()
    {
        var store = new CountingStore(new FileSystemObjectStore(_directory.Path), singleWriter: true);
        var catalog = NewCatalog(store);
        var service = ServiceIdentity.Create(Organization, Core.Project, Core.Service);
        await catalog.AdvanceLatestAsync(_keys.Latest(service), [Run("c2", 2)], CancellationToken.None);
        var reads = store.Reads;

        Assert.Equal("c2", (await catalog.ReadLatestAsync(service, CancellationToken.None))!.RunId);
        Assert.Equal("c2", (await catalog.ReadLatestPositionAsync(service, CancellationToken.None))!.RunId);
        Assert.Equal(reads, store.Reads);

        var elsewhere = NewCatalog(new CountingStore(new FileSystemObjectStore(_directory.Path), singleWriter: false));
        Assert.Equal("c2", (await elsewhere.ReadLatestAsync(service, CancellationToken.None))!.RunId);
        Assert.Equal(reads, store.Reads);
    }

    [Fact]
    public void A_view_read_while_an_entry_was_written_is_not_kept()
    {
        var views = new SystemViews();
        var entry = new SystemEntry(CoreSystem, "commerce", "core", [], []);
        var before = views.WritesSoFar;
        views.Wrote("p/", "p/a.json", entry);

        views.Keep("p/", before, [("p/a.json", entry)]);
        Assert.Null(views.TryGet("p/"));

        views.Keep("p/", views.WritesSoFar, [("p/a.json", entry)]);
        views.Wrote("p/", "p/b.json", entry with { Service = "other" });
        Assert.Equal(["core", "other"], views.TryGet("p/")!.Select(kept => kept.Service).Order());

        views.Drop("p/");
        Assert.Null(views.TryGet("p/"));
    }

    public void Dispose() => _directory.Dispose();

    private RunCatalog NewCatalog(IObjectStore store) => new(store, _keys, new StorageTelemetry(new TestMeterFactory()), compactInBackground: false);

    private static Task IndexAsync(BlastRadiusIndex index, (string Project, string Service) service, string runId, int hour, JsonObject export) =>
        index.IndexAsync(ServiceIdentity.Create(Organization, service.Project, service.Service), Run(runId, hour),
            LineageExport.Parse(JsonSerializer.SerializeToElement(export)), CancellationToken.None);

    private static ManifestEntry Run(string runId, int hour) =>
        new(runId, $"k/{runId}", "", 0, $"2026-11-22T{hour:D2}:00:00.0000000Z", null, null);

    private static async Task<List<string>> ServicesOfCoreSystemAsync(BlastRadiusIndex index) =>
        [.. (await index.ReadSystemAsync(Organization, CoreSystem, CancellationToken.None)).Select(entry => $"{entry.Project}/{entry.Service}")];

    /// <summary>Counts listings, reads and commits of a real store, and says whether it has a single writer (the property under test).</summary>
    private sealed class CountingStore(IObjectStore store, bool singleWriter) : ForwardingObjectStore(store)
    {
        private int _listings;
        private int _reads;
        private int _commits;

        public int Listings => Volatile.Read(ref _listings);

        public int Reads => Volatile.Read(ref _reads);

        public int Commits => Volatile.Read(ref _commits);

        public override bool HasSingleWriter => singleWriter;

        public override Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _listings);
            return base.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);
        }

        public override Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return base.ReadAsync(key, cancellationToken);
        }

        public override Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return base.GetInfoAsync(key, cancellationToken);
        }

        public override Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _commits);
            return base.CommitIfAbsentAsync(staged, key, cancellationToken);
        }

        public override Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _commits);
            return base.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);
        }
    }
}
