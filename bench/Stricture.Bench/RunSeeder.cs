using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;

namespace Stricture.Bench;

/// <summary>What seeding one store took; <see cref="NewestDay"/> is the last day of its history.</summary>
internal sealed record SeededStore(string DataDirectory, int Runs, int Days, DateOnly NewestDay, string NewestRunId, TimeSpan Elapsed)
{
    public double RunsPerSecond => Runs / Elapsed.TotalSeconds;
}

/// <summary>
/// Fills a fresh data directory with one service's history through the product's own storage layer,
/// in process, wired as the server wires it (filesystem driver, prefix "stricture", record store,
/// catalog): every run is a real durable record with its run index entry, manifest line and latest
/// pointer, exactly what a post would leave, at a fraction of the cost of posting it over HTTP.
/// Runs are dated oldest first, <c>runsPerDay</c> a day with generated_at spread evenly over the
/// day, ending on <c>newestDay</c>. The data directory's lock is held while seeding, as a server
/// would hold it, and released before a server is started on it. With an accepted-run log (mirror
/// mode's <see cref="ReplicationSpool"/>), every run is also appended to it, as a mirror-mode
/// server appends every post it accepts.
/// </summary>
internal static class RunSeeder
{
    public static readonly ServiceIdentity Service = ServiceIdentity.Create("acme", "bench", "api");

    /// <summary>Posts in flight at once: enough to keep both cores and the disk busy, as concurrent clients would.</summary>
    private const int Concurrency = 32;

    /// <summary>
    /// Every stored run blocks thread-pool threads in fsync; the server raises the pool's minimum to
    /// 64 for the same reason (Stricture.Ingest.csproj). Without it the pool grows one thread at a
    /// time and the first thousand runs are seeded at about 100 runs/s.
    /// </summary>
    private const int MinPoolThreads = 64;

    public static string RunId(DateOnly day, int indexInDay) => $"q{day:yyyyMMdd}-{indexInDay:D5}";

    public static async Task<SeededStore> SeedAsync(
        string dataDirectory, int runs, int runsPerDay, DateOnly newestDay, byte[] artifact, IAcceptedRunLog? acceptedRuns,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var days = runs / runsPerDay;
        var firstDay = newestDay.AddDays(1 - days);
        using var meters = new BenchMeterFactory();
        using var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        using var store = new FileSystemObjectStore(dataDirectory);
        var keys = new RecordKeys("stricture");
        var telemetry = new StorageTelemetry(meters);
        var records = new RecordStore(
            store, keys, new RunCatalog(store, keys, telemetry, compactInBackground: false), TimeProvider.System, telemetry, NullLogger<RecordStore>.Instance, acceptedRuns);

        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, MinPoolThreads), minIo);
        try
        {
            var elapsed = await SeedRunsAsync(records, runs, runsPerDay, firstDay, new ReadOnlySequence<byte>(artifact), progress, cancellationToken);
            return new SeededStore(dataDirectory, runs, days, newestDay, RunId(newestDay, runsPerDay - 1), elapsed);
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }

    private static async Task<TimeSpan> SeedRunsAsync(
        RecordStore records, int runs, int runsPerDay, DateOnly firstDay, ReadOnlySequence<byte> body,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var spacing = TimeSpan.FromDays(1) / runsPerDay;
        var done = 0;
        var clock = Stopwatch.StartNew();
        // In order (oldest first), so concurrent posts mostly share a day and their manifest and
        // latest updates coalesce, as they do for a service that posts steadily.
        await Parallel.ForAsync(0, runs, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var day = firstDay.AddDays(index / runsPerDay);
                var generatedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + spacing * (index % runsPerDay);
                var submission = new RunSubmission
                {
                    Service = Service,
                    RunId = RunId(day, index % runsPerDay),
                    CommitSha = index.ToString("x40", CultureInfo.InvariantCulture),
                    GeneratedAtText = generatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    GeneratedAt = generatedAt,
                    Artifact = body,
                };
                var result = await records.IngestAsync(submission, ct);
                if (result.Status != IngestStatus.Accepted || !result.Created)
                {
                    throw new InvalidOperationException($"Seeding {submission.RunId}: {result.Status}, created: {result.Created} (the data directory was not fresh?).");
                }
                if (Interlocked.Increment(ref done) % Math.Max(1, runs / 5) == 0)
                {
                    progress($"seed {runs:N0}: {done:N0} runs stored ({clock.Elapsed.TotalSeconds:0} s)");
                }
            });
        return clock.Elapsed;
    }
}
