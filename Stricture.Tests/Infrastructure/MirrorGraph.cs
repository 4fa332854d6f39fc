using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.S3;
using Stricture.Storage.Telemetry;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The mirror-mode graph as real processes: the ingest server and the replicator on one data
/// directory, and the real S3 server, configured with exactly the environment the AppHost injects
/// (ConnectionStrings__minio, the driver, the bucket, the shared data directory). Each graph has
/// its own bucket and data directory.
/// </summary>
public sealed class MirrorGraph : IAsyncDisposable
{
    private readonly TestDirectory _data;
    private readonly S3ObjectStore _bucketStore;

    private MirrorGraph(S3TestServer s3, string bucket, TestDirectory data, Dictionary<string, string> environment)
    {
        S3 = s3;
        Bucket = bucket;
        _data = data;
        Environment = environment;
        var settings = s3.Settings(bucket);
        _bucketStore = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        Verifier = new MirrorVerifier(new FileSystemObjectStore(data.Path), _bucketStore, new RecordKeys("stricture"));
        Spool = new ReplicationSpool(data.Path, TimeProvider.System);
    }

    public S3TestServer S3 { get; }

    public string Bucket { get; }

    public string DataDirectory => _data.Path;

    /// <summary>What the AppHost would set for both services (as environment variables).</summary>
    public Dictionary<string, string> Environment { get; }

    public ServiceProcess Ingest { get; private set; } = null!;

    public ServiceProcess? Replicator { get; private set; }

    public HttpClient IngestClient { get; private set; } = null!;

    public MirrorVerifier Verifier { get; }

    public ReplicationSpool Spool { get; }

    public static async Task<MirrorGraph> StartAsync(IDictionary<string, string>? extraEnvironment = null)
    {
        var s3 = await S3TestServer.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        var environment = AppHostEnvironment($"Endpoint={s3.Endpoint};AccessKey={s3.AccessKey};SecretKey={s3.SecretKey}", bucket);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var graph = new MirrorGraph(s3, bucket, new TestDirectory(), environment);
        await graph.StartIngestAsync();
        await graph.StartReplicatorAsync();
        return graph;
    }

    /// <summary>
    /// What Stricture.AppHost gives both services, besides the data directory (which the process
    /// helpers set) and ingest's token authentication: its MinIO
    /// reference (ConnectionStrings__minio), the mirror driver and the bucket.
    /// AppHostModelTests holds the AppHost to these names.
    /// </summary>
    public static Dictionary<string, string> AppHostEnvironment(string minioConnectionString, string bucket) => new()
    {
        ["STRICTURE_SERVER_STORAGE_DRIVER"] = "mirror",
        ["STRICTURE_SERVER_OBJECT_BUCKET"] = bucket,
        ["ConnectionStrings__minio"] = minioConnectionString,
    };

    public async Task StartIngestAsync()
    {
        Ingest = await ServiceProcess.StartIngestAsync(DataDirectory, Environment);
        IngestClient = new HttpClient { BaseAddress = Ingest.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await IngestClient.GetAsync("/health")).StatusCode);
    }

    public async Task StartReplicatorAsync() => Replicator = await ServiceProcess.StartReplicatorAsync(DataDirectory, Environment);

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public async Task KillIngestAsync()
    {
        IngestClient.Dispose();
        await Ingest.DisposeAsync();
    }

    public async Task KillReplicatorAsync()
    {
        if (Replicator is not null)
        {
            await Replicator.DisposeAsync();
            Replicator = null;
        }
    }

    public async Task<HttpResponseMessage> ReplicatorHealthAsync()
    {
        using var client = new HttpClient { BaseAddress = Replicator!.BaseAddress };
        return await client.GetAsync("/health");
    }

    /// <summary>Waits until the spool is empty and the bucket holds the whole local tree; fails after <paramref name="timeout"/>.</summary>
    public async Task<MirrorReport> WaitUntilReplicatedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Spool.Backlog().Count == 0)
            {
                var report = await Verifier.VerifyAsync(default);
                if (report.Differences.Count == 0)
                {
                    return report;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                var last = await Verifier.VerifyAsync(default);
                Assert.Fail($"not replicated within {timeout}: backlog {Spool.Backlog().Count}, " +
                            $"differences: {string.Join(", ", last.Differences.Take(10))}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Reads a key from the bucket.</summary>
    public async Task<byte[]?> ReadBucketAsync(string key) => (await _bucketStore.ReadAsync(key, default))?.Content.ToArray();

    /// <summary>
    /// Folds a day's manifest segments in the bucket into its compacted manifest now (the replicator
    /// does it in the background, after a pause), and returns that manifest's bytes.
    /// </summary>
    public async Task<byte[]?> CompactBucketDayAsync(ServiceIdentity service, DateOnly day)
    {
        var keys = new RecordKeys("stricture");
        using var meters = new TestMeterFactory();
        var catalog = new RunCatalog(_bucketStore, keys, new StorageTelemetry(meters), compactInBackground: false);
        await catalog.CompactAsync(service, day, [], default);
        return await ReadBucketAsync(keys.Manifest(service, day));
    }

    public async ValueTask DisposeAsync()
    {
        IngestClient.Dispose();
        await Ingest.DisposeAsync();
        await KillReplicatorAsync();
        _bucketStore.Dispose();
        _data.Dispose();
    }
}
