using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>The replicator in-process: a local data directory, its spool, and a bucket on the real S3 server.</summary>
public sealed class RecordReplicatorTests : IAsyncLifetime
{
    private readonly TestDirectory _directory = new();
    private readonly TestMeterFactory _meters = new();
    private S3TestServer _s3 = null!;
    private string _bucket = null!;
    private AmazonS3Client _client = null!;
    private S3ObjectStore _remote = null!;
    private FileSystemObjectStore _local = null!;
    private ReplicationSpool _spool = null!;
    private RecordStoreHarness _ingest = null!;
    private RecordReplicator _replicator = null!;
    private MirrorVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3TestServer.GetAsync();
        _bucket = await _s3.CreateBucketAsync();
        _client = _s3.CreateClient();
        var settings = _s3.Settings(_bucket);
        _remote = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        _local = new FileSystemObjectStore(_directory.Path);
        _spool = new ReplicationSpool(_directory.Path, TimeProvider.System);
        _ingest = new RecordStoreHarness(_local, acceptedRuns: _spool, assessRuns: true);
        var meters = _meters;
        _replicator = new RecordReplicator(_local, _remote, new RunCatalog(_remote, _ingest.Keys, new StorageTelemetry(meters)), _ingest.Keys, _spool,
            new ReplicationTelemetry(meters, _spool, TimeProvider.System), NullLogger<RecordReplicator>.Instance);
        _verifier = new MirrorVerifier(_local, _remote, _ingest.Keys);
    }

    public Task DisposeAsync()
    {
        _remote.Dispose();
        _client.Dispose();
        _meters.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_spooled_run_reaches_the_bucket_byte_identical_with_its_manifest_and_latest_pointer()
    {
        for (var i = 0; i < 20; i++)
        {
            await _ingest.IngestAsync($"run-{i:D2}", generatedAt: $"2026-11-2{i % 2}T10:00:{i:D2}Z", service: i < 15 ? "s" : "other");
        }
        Assert.Equal(20, _spool.Backlog().Count);

        while (await _replicator.DrainOnceAsync(default) > 0)
        {
        }

        Assert.Equal(0, _spool.Backlog().Count);
        // Each side appends and compacts its own manifest segments; compacted, both hold the documented tree.
        var remoteCatalog = new RunCatalog(_remote, _ingest.Keys, new StorageTelemetry(_meters), compactInBackground: false);
        foreach (var service in new[] { "s", "other" })
        {
            foreach (var day in new[] { new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21) })
            {
                await _ingest.Catalog.CompactAsync(RecordStoreHarness.ServiceNamed(service), day, [], default);
                await remoteCatalog.CompactAsync(RecordStoreHarness.ServiceNamed(service), day, [], default);
            }
        }
        // The organization-level objects are local only: in a bucket, reconcile builds them.
        static bool Documented(string key) => !key.Contains("/seg=", StringComparison.Ordinal) && !key.EndsWith("/compacted.json", StringComparison.Ordinal) &&
                                              !key.Contains("/services/shard=", StringComparison.Ordinal) && !key.Contains("/drift/date=", StringComparison.Ordinal);
        var localTree = await _ingest.Store.KeysAsync(_ingest.Keys.Root, default).Where(Documented).ToListAsync();
        Assert.Equal(20 + 4 + 2, localTree.Count); // records, 2 days x 2 services, 2 pointers
        Assert.Equal(localTree, await _remote.KeysAsync(_ingest.Keys.Root, default).Where(Documented).ToListAsync());
        foreach (var key in localTree)
        {
            Assert.Equal((await _local.ReadAsync(key, default))!.Content.ToArray(), (await _remote.ReadAsync(key, default))!.Content.ToArray());
        }
        Assert.Empty((await _verifier.VerifyAsync(default)).Differences);
    }

    [Fact]
    public async Task Passes_back_to_back_finish_every_entry_once_and_the_bucket_catalogs_every_run()
    {
        const int runs = 2 * RecordReplicator.BatchSize + 10;
        var runIds = await IngestManyAsync(runs);
        var passes = 0;

        // Each pass's entries are skipped by the next, which lists while they settle: an entry finished twice would count twice.
        Assert.Equal(runs, await _replicator.DrainAsync(() => ++passes < 100, default));

        Assert.Equal(3, passes);
        Assert.Equal((0, 0), (_spool.Backlog().Count, _spool.QuarantinedCount()));
        Assert.Empty((await _verifier.VerifyAsync(default)).Differences);
        Assert.Equal(runIds, await CatalogedInBucketAsync());
    }

    [Fact]
    public async Task A_drain_told_to_stop_settles_the_pass_it_started_and_leaves_the_rest_spooled()
    {
        var runIds = await IngestManyAsync(RecordReplicator.BatchSize + 10);

        Assert.Equal(RecordReplicator.BatchSize, await _replicator.DrainAsync(() => false, default));

        // The oldest pass is wholly in the bucket, records and catalog; the rest is spooled and absent.
        var pending = await _spool.PendingRunKeysAsync(default);
        Assert.Equal(10, pending.Count);
        Assert.Equal(pending.Order(StringComparer.Ordinal), (await _verifier.RunsMissingRemotelyAsync(default).ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(runIds.Take(RecordReplicator.BatchSize), await CatalogedInBucketAsync());
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_stops_the_drain_with_every_entry_still_spooled()
    {
        var runIds = await IngestManyAsync(RecordReplicator.BatchSize + 10);
        // Nothing listens on the port: every connection is refused (a real fault, no fake).
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = _s3.Settings(_bucket) with { Endpoint = new Uri($"http://127.0.0.1:{closedPort}"), MaxRetries = 0, RequestTimeoutSeconds = 1 };
        using var unreachable = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        var cutOff = new RecordReplicator(_local, unreachable, new RunCatalog(unreachable, _ingest.Keys, new StorageTelemetry(_meters)), _ingest.Keys, _spool,
            new ReplicationTelemetry(_meters, _spool, TimeProvider.System), NullLogger<RecordReplicator>.Instance);

        await Assert.ThrowsAsync<Stricture.Storage.ObjectStore.ObjectStoreUnavailableException>(() => cutOff.DrainAsync(() => true, default));

        Assert.Equal((runIds.Count, 0), (_spool.Backlog().Count, _spool.QuarantinedCount()));
        // Once the store is there, a drain finishes every entry, each once.
        Assert.Equal(runIds.Count, await _replicator.DrainAsync(() => true, default));
        Assert.Equal(runIds, await CatalogedInBucketAsync());
    }

    /// <summary>
    /// Ingests runs over two services and three days, 16 at a time, each 16 spooled after the 16 before
    /// (so the oldest <see cref="RecordReplicator.BatchSize"/> are the first ones); returns their ids.
    /// </summary>
    private async Task<List<string>> IngestManyAsync(int count)
    {
        var runIds = Enumerable.Range(0, count).Select(i => $"run-{i:D4}").ToList();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(16))
        {
            await Task.WhenAll(chunk.Select(i => _ingest.IngestAsync(
                runIds[i], generatedAt: $"2026-11-2{i % 3}T10:{i / 60 % 60:D2}:{i % 60:D2}Z", service: i % 2 == 0 ? "s" : "other")));
        }
        return runIds;
    }

    /// <summary>The run ids the bucket's catalog holds over those services and days, in order (each once).</summary>
    private async Task<List<string>> CatalogedInBucketAsync()
    {
        var remoteCatalog = new RunCatalog(_remote, _ingest.Keys, new StorageTelemetry(_meters), compactInBackground: false);
        var cataloged = new List<string>();
        foreach (var service in new[] { "s", "other" })
        {
            for (var day = 0; day < 3; day++)
            {
                var entries = await remoteCatalog.ReadManifestAsync(RecordStoreHarness.ServiceNamed(service), new DateOnly(2026, 11, 20 + day), default);
                cataloged.AddRange(entries.Select(entry => entry.RunId));
            }
        }
        return [.. cataloged.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_replicated_runs_catalog_entry_in_the_bucket_carries_the_impact_and_gate_its_record_holds()
    {
        var ingested = await _ingest.IngestAsync("assessed", generatedAt: "2026-11-22T10:00:00Z", diff: "diff-high.json");
        Assert.True(ingested.Assessment?.Gate is not null, "a run with a diff is assessed");

        while (await _replicator.DrainOnceAsync(default) > 0)
        {
        }

        var remoteCatalog = new RunCatalog(_remote, _ingest.Keys, new StorageTelemetry(_meters), compactInBackground: false);
        var local = await _ingest.Catalog.ReadLatestAsync(RecordStoreHarness.Service, default);
        var remote = await remoteCatalog.ReadLatestAsync(RecordStoreHarness.Service, default);
        Assert.True(remote is { Gate: not null, Impact: not null }, "the bucket's latest pointer shows the run's gate and impact");
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(local), System.Text.Json.JsonSerializer.Serialize(remote));
    }

    [Fact]
    public async Task Metrics_report_the_backlog_the_lag_and_what_was_copied()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReplicationTelemetry.Name && _meters.Meters.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measurements[instrument.Name] = value);
        listener.Start();

        var first = await _ingest.IngestAsync("metered-1");
        await _ingest.IngestAsync("metered-2");
        await Task.Delay(50);
        listener.RecordObservableInstruments();
        Assert.Equal(2, measurements["stricture.replication.backlog"]);
        Assert.True(measurements["stricture.replication.lag"] > 0);

        await _replicator.DrainOnceAsync(default);
        listener.RecordObservableInstruments();

        Assert.Equal(2, measurements["stricture.replication.records"]);
        Assert.Equal(2 * first.Size, measurements["stricture.replication.bytes"]);
        Assert.Equal((0, 0), (measurements["stricture.replication.backlog"], measurements["stricture.replication.lag"]));
    }

    [Fact]
    public async Task A_run_in_the_dated_layout_reaches_the_bucket_with_its_claim_and_is_cataloged_there()
    {
        // Spooled before records moved (or found by the catch-up scan): the spool names its payload key.
        var (payloadKey, payload) = await DatedLayoutRun.StoreAsync(_ingest, "dated", new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        await _spool.AppendAsync(payloadKey, default);

        Assert.Equal(1, await _replicator.DrainOnceAsync(default));

        Assert.Equal(0, _spool.QuarantinedCount());
        var claimKey = _ingest.Keys.Record(RecordStoreHarness.Service.WithRun("dated"));
        Assert.Equal(payload, (await _remote.ReadAsync(payloadKey, default))!.Content.ToArray());
        Assert.Equal((await _local.ReadAsync(claimKey, default))!.Content.ToArray(), (await _remote.ReadAsync(claimKey, default))!.Content.ToArray());
        var remoteCatalog = new RunCatalog(_remote, _ingest.Keys, new StorageTelemetry(_meters), compactInBackground: false);
        var listed = await remoteCatalog.ReadManifestAsync(RecordStoreHarness.Service, new DateOnly(2026, 11, 21), default);
        Assert.Equal([payloadKey], listed.Select(entry => entry.Key));
        Assert.Empty(await _verifier.RunsMissingRemotelyAsync(default).ToListAsync());
    }

    [Fact]
    public async Task A_new_copy_is_one_payload_signed_conditional_put_and_no_read_back()
    {
        // The store refuses a body whose SHA-256 differs from the signed one, so reading a new copy back
        // would prove nothing; only an object found already there is checked (the tests below).
        var log = new S3RequestLog();
        var settings = _s3.Settings(_bucket);
        using var meters = new TestMeterFactory();
        using var remote = new S3ObjectStore(S3ClientFactory.Create(settings, log), settings, NullLogger<S3ObjectStore>.Instance);
        var replicator = new RecordReplicator(_local, remote, new RunCatalog(remote, _ingest.Keys, new StorageTelemetry(meters)), _ingest.Keys, _spool,
            new ReplicationTelemetry(meters, _spool, TimeProvider.System), NullLogger<RecordReplicator>.Instance);
        var result = await _ingest.IngestAsync("signed-copy");

        Assert.True(remote.ChecksCommittedContent);
        Assert.Equal(1, await replicator.DrainOnceAsync(default));

        var recordRequests = log.Requests.Where(request => !request.Path.Contains("/manifests/", StringComparison.Ordinal) &&
                                                           !request.Path.EndsWith("/latest.json", StringComparison.Ordinal)).ToList();
        Assert.Single(recordRequests);
        Assert.All(recordRequests, request =>
        {
            Assert.Equal(HttpMethod.Put, request.Method);
            Assert.Equal("*", request.IfNoneMatch);
            Assert.Matches("^[0-9a-f]{64}$", request.PayloadSha256); // a signed payload, which the store checks
        });
        Assert.Contains(recordRequests, request => request.Path.EndsWith(result.Location, StringComparison.Ordinal));
        Assert.Empty((await _verifier.VerifyAsync(default)).Differences);
    }

    [Fact]
    public async Task An_object_already_in_the_bucket_with_the_same_bytes_counts_as_copied()
    {
        var result = await _ingest.IngestAsync("already-there");
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = result.Location,
            FilePath = Path.Combine(_directory.Path, result.Location),
            UseChunkEncoding = false,
            Metadata = { [S3ObjectStore.Sha256MetadataKey] = result.Sha256 },
        });

        Assert.Equal(1, await _replicator.DrainOnceAsync(default));

        Assert.Equal(0, _spool.QuarantinedCount());
        Assert.Empty((await _verifier.VerifyAsync(default)).Differences);
    }

    [Fact]
    public async Task Other_bytes_in_the_bucket_are_an_alarm_left_in_place()
    {
        var result = await _ingest.IngestAsync("squatted");
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = result.Location, ContentBody = "{\"not\":\"this\"}", UseChunkEncoding = false });

        Assert.Equal(1, await _replicator.DrainOnceAsync(default));

        Assert.Equal((0, 1), (_spool.Backlog().Count, _spool.QuarantinedCount()));
        using var stored = await _client.GetObjectAsync(_bucket, result.Location);
        Assert.Equal("{\"not\":\"this\"}", await new StreamReader(stored.ResponseStream).ReadToEndAsync());
        var report = await _verifier.VerifyAsync(default);
        Assert.Contains(new MirrorDifference("mismatch", result.Location), report.Differences);
    }

    [Fact]
    public async Task Verify_reports_what_the_bucket_lacks_and_finds_the_runs_to_spool_again()
    {
        await _ingest.IngestAsync("copied", generatedAt: "2026-11-22T08:00:00Z");
        await _replicator.DrainOnceAsync(default);
        var late = await _ingest.IngestAsync("not-yet", generatedAt: "2026-11-22T09:00:00Z");

        var report = await _verifier.VerifyAsync(default);

        Assert.Equal(
            ["latest-behind", "manifest-behind", "missing"], // latest.json, manifest, the record
            report.Differences.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Kind));
        Assert.Contains(new MirrorDifference("missing", late.Location), report.Differences);
        Assert.Equal([late.Location], await _verifier.RunsMissingRemotelyAsync(default).ToListAsync());
    }

    [Fact]
    public async Task Objects_the_bucket_holds_but_does_not_list_yet_are_neither_missing_nor_spooled_again()
    {
        await _ingest.IngestAsync("listed", generatedAt: "2026-11-23T08:00:00Z");
        var hidden = await _ingest.IngestAsync("unlisted", generatedAt: "2026-11-23T09:00:00Z");
        while (await _replicator.DrainOnceAsync(default) > 0)
        {
        }
        var hiddenKeys = await _remote.KeysAsync(_ingest.Keys.Root, default).Where(key => key == hidden.Location).ToHashSetAsync();
        Assert.Single(hiddenKeys);
        var lagging = new MirrorVerifier(_local, new ListingLagStore(_remote, hiddenKeys), _ingest.Keys);

        var report = await lagging.VerifyAsync(default);

        Assert.True(report.Differences.Count == 0, $"differences: {string.Join(", ", report.Differences)}");
        Assert.Equal(1, report.Unlisted);
        Assert.Empty(await lagging.RunsMissingRemotelyAsync(default).ToListAsync());
    }

    [Fact]
    public async Task An_unlisted_key_that_is_also_unreadable_is_still_missing()
    {
        var result = await _ingest.IngestAsync("gone", generatedAt: "2026-11-24T08:00:00Z");
        while (await _replicator.DrainOnceAsync(default) > 0)
        {
        }
        await _client.DeleteObjectAsync(_bucket, result.Location);
        var lagging = new MirrorVerifier(_local, new ListingLagStore(_remote, new HashSet<string> { result.Location }), _ingest.Keys);

        var report = await lagging.VerifyAsync(default);

        Assert.Equal([new MirrorDifference("missing", result.Location)], report.Differences);
        Assert.Equal(0, report.Unlisted);
        Assert.Equal([result.Location], await lagging.RunsMissingRemotelyAsync(default).ToListAsync());
    }
}
