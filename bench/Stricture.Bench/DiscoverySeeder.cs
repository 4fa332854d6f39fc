using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;

namespace Stricture.Bench;

/// <summary>
/// Fills a fresh data directory with an organization's history through the product's own storage
/// layer, in process, as the server wires it: <see cref="Services"/> services in ten projects, each
/// posting once a day, oldest day first, ending on the given day; every fifth run carries a diff
/// with a high, a medium and a low change, and each run has a commit of its own. Then the organization-level objects (the commit index included) are compacted, as a
/// server's background compaction leaves them. Every run is a real durable record with its catalog
/// entries, exactly what a post would leave.
/// </summary>
internal static class DiscoverySeeder
{
    public const int Services = 1_000;
    public const string Organization = "acme";

    private const int Concurrency = 32;

    private static readonly byte[] Diff = Encoding.UTF8.GetBytes("""
        {"summary":{"total":3,"high":1,"medium":1,"low":1,"info":0},"changes":[
        {"severity":"high","change_type":"field_removed","field_id":"response_user_email","message":"Field was removed from lineage artifact"},
        {"severity":"medium","change_type":"field_added","field_id":"response_user_locale","message":"New field added to lineage artifact"},
        {"severity":"low","change_type":"owner_changed","field_id":"response_user_locale","message":"owner changed from team.identity to team.growth"}]}
        """);

    /// <summary>The commit of run <paramref name="index"/>: a SHA-1 like git's, spread evenly over every prefix.</summary>
    public static string CommitOf(int index) => Convert.ToHexStringLower(SHA1.HashData(BitConverter.GetBytes(index)));

    public static ServiceIdentity ServiceOf(int index) => ServiceIdentity.Create(Organization, $"proj-{index % 10}", $"svc-{index:D4}");

    /// <summary>Seeds <paramref name="runs"/> runs (a multiple of <see cref="Services"/>: that many days) and returns how long it took.</summary>
    public static async Task<TimeSpan> SeedAsync(string dataDirectory, int runs, DateOnly newestDay, byte[] artifact, Action<string> progress, CancellationToken cancellationToken)
    {
        var days = runs / Services;
        var firstDay = newestDay.AddDays(1 - days);
        using var meters = new BenchMeterFactory();
        using var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        var store = new FileSystemObjectStore(dataDirectory);
        var keys = new RecordKeys("stricture");
        var telemetry = new StorageTelemetry(meters);
        var catalog = new RunCatalog(store, keys, telemetry, compactInBackground: false);
        var records = new RecordStore(store, keys, catalog, TimeProvider.System, telemetry, NullLogger<RecordStore>.Instance);
        var body = new ReadOnlySequence<byte>(artifact);
        var diff = new ReadOnlySequence<byte>(Diff);
        var done = 0;
        var clock = Stopwatch.StartNew();
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), minIo);
        try
        {
            await Parallel.ForAsync(0, runs, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
                async (index, ct) =>
                {
                    var day = firstDay.AddDays(index / Services);
                    var service = index % Services;
                    var generatedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + TimeSpan.FromSeconds(service * 60);
                    var submission = new RunSubmission
                    {
                        Service = ServiceOf(service),
                        RunId = $"d{day:yyyyMMdd}-{service:D4}",
                        CommitSha = CommitOf(index),
                        GeneratedAtText = generatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        GeneratedAt = generatedAt,
                        Artifact = body,
                        Diff = index % 5 == 0 ? diff : null,
                    };
                    var result = await records.IngestAsync(submission, ct);
                    if (result.Status != IngestStatus.Accepted || !result.Created)
                    {
                        throw new InvalidOperationException($"Seeding {submission.RunId}: {result.Status}, created: {result.Created} (the data directory was not fresh?).");
                    }
                    if (Interlocked.Increment(ref done) % Math.Max(1, runs / 5) == 0)
                    {
                        progress($"discovery seed {runs:N0}: {done:N0} runs stored ({clock.Elapsed.TotalSeconds:0} s)");
                    }
                });
            var dayList = Enumerable.Range(0, days).Select(firstDay.AddDays).ToList();
            await catalog.Organizations.CompactAllAsync(Organization, dayList, cancellationToken);
            await catalog.Organizations.CompactCommitsAsync(Organization, cancellationToken);
            return clock.Elapsed;
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }
}
