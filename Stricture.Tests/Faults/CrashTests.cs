using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Faults;

/// <summary>
/// A real server process under concurrent load is killed with SIGKILL, several times, on one data
/// directory. SIGKILL does not drop the OS page cache, so this proves the write protocol (staging,
/// create-new links, claims) leaves no torn or partial record and loses no acknowledged one. After
/// the last kill the test also does what a power loss may add: every file linked since the commit
/// log's last checkpoint (whose durability rests on the log alone) loses half its data; start-up
/// must restore each from the log before it serves anything. The kills land
/// anywhere: inside a coalesced batch (a manifest segment being written for several posts), inside a
/// background compaction (segments folded into the day's manifest, then its mark moved), and inside
/// the reconcile every start runs in the background. Acknowledged runs must be visible to queries
/// straight after the last crash, before any reconcile or compaction; kills that land between a
/// payload's write and its segment are repaired by reconcile, after which the compacted manifest,
/// the documented layout, must list every acknowledged run exactly once. Every server's commit log
/// is a recycled file that still holds earlier records past its own: recovery must stop where its
/// own end.
/// </summary>
public sealed class CrashTests
{
    private const int Rounds = 4;
    private const int Clients = 8;
    private const int MaxPostsPerClientPerRound = 1_000;
    private const int MinimumAcknowledgedPerRound = 50;
    private const string StaleKeys = "stale";

    [Fact]
    public async Task Every_acknowledged_record_survives_repeated_sigkill_intact()
    {
        using var data = new TestDirectory();
        var acknowledged = new ConcurrentDictionary<string, (string Location, string Sha256)>();
        // The posts have no generated_at: each is listed under the UTC day it was received.
        var firstDay = DateOnly.FromDateTime(DateTime.UtcNow);
        var staleSpares = await SeedStaleSpareLogAsync(data.Path);

        for (var round = 0; round < Rounds; round++)
        {
            // 1. Start the server on the data directory the previous round's server died on.
            var server = await ServiceProcess.StartIngestAsync(data.Path);
            using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var acknowledgedThisRound = 0;

            // 2. Load it from several clients; some posts repeat earlier run ids (idempotent retries).
            var load = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < MaxPostsPerClientPerRound && !stop.IsCancellationRequested; i++)
                {
                    var runId = i % 10 == 9 && i > 0 ? $"r{round}-c{c}-{i - 1}" : $"r{round}-c{c}-{i}";
                    try
                    {
                        var response = await client.PostAsync("/v1/artifacts", Posts.Json(Posts.Valid(runId: runId)), stop.Token);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            var body = await response.JsonBodyAsync();
                            acknowledged[runId] = (body.GetProperty("location").GetString()!, body.GetProperty("sha256").GetString()!);
                            Interlocked.Increment(ref acknowledgedThisRound);
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException or SocketException)
                    {
                        // The server died mid-request: not acknowledged, so nothing is owed. (A connection the
                        // kill resets between connect and the first write surfaces as a bare SocketException.)
                    }
                }
            })).ToArray();

            // 3. Once the load is flowing (however slow the machine), kill it without warning mid-stream.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref acknowledgedThisRound) < MinimumAcknowledgedPerRound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            // Up to 1.5 s more: long enough for a day's background compaction (which waits 0.5 s) to be under way.
            await Task.Delay(Random.Shared.Next(0, 1_500));
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
            await server.DisposeAsync();
            Assert.True(round > 0 || !staleSpares.Any(File.Exists), "the first server's commit log must be the spare it found, renamed");

            // 3b. After the last kill, a power loss on top: the files only the commit log made durable are torn.
            if (round == Rounds - 1)
            {
                Assert.True(TearFilesOnlyTheLogMadeDurable(data.Path) > 0, "the simulated power loss must tear files for the recovery to prove anything");
            }
        }
        Assert.True(acknowledged.Count >= Rounds * MinimumAcknowledgedPerRound * 9 / 10,
            $"each round must have acknowledged a real load before the kill; got {acknowledged.Count} in all");

        // 4. Read-your-writes survives the crashes: a server that neither reconciles nor has compacted
        // anything yet lists every acknowledged run from the compacted manifests and segments as they are.
        await using (var unrepaired = await ServiceProcess.StartIngestAsync(data.Path, new Dictionary<string, string> { ["STRICTURE_SERVER_RECONCILE_ON_START"] = "false" }))
        {
            var listedBeforeRepair = await ListAllRunsAsync(unrepaired.BaseAddress, firstDay, DateOnly.FromDateTime(DateTime.UtcNow));
            Assert.True(acknowledged.Keys.All(listedBeforeRepair.Contains),
                $"every acknowledged run must be listed after SIGKILL without repair; missing {string.Join(", ", acknowledged.Keys.Except(listedBeforeRepair).Take(5))}");
            // A run's record is answered before it is flushed, but what names it (its segment, the
            // latest pointer) is logged after it and goes into place after it: whatever a crash cut,
            // every run listed, acknowledged or not, has its record.
            var withoutRecord = listedBeforeRepair.Where(runId => !File.Exists(Path.Combine(ServiceTree(data.Path), "runs", $"run={runId}.json"))).ToList();
            Assert.True(withoutRecord.Count == 0, $"every listed run must have its record; none for {string.Join(", ", withoutRecord.Take(5))}");
        }

        // 5. Reconcile the catalog with the payloads, then restart once more: start-up clears staging;
        // every acknowledged record must be intact.
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(data.Path, "reconcile");
        Assert.True(exitCode == 0, output);
        await using var final = await ServiceProcess.StartIngestAsync(data.Path);
        foreach (var (runId, (location, sha256)) in acknowledged)
        {
            var path = Path.Combine(data.Path, location);
            Assert.True(File.Exists(path), $"acknowledged run {runId} must exist at {location}");
            Assert.Equal(sha256, Posts.Sha256(await File.ReadAllBytesAsync(path)));
        }

        // 6. No partial file is visible as a record, and staging holds nothing after start-up.
        var recordsTree = Path.Combine(data.Path, "stricture");
        foreach (var file in Directory.EnumerateFiles(recordsTree, "*", SearchOption.AllDirectories))
        {
            Assert.True(file.EndsWith("payload.json", StringComparison.Ordinal) || file.Contains("/runs/run=", StringComparison.Ordinal) ||
                        file.Contains("/manifests/date=", StringComparison.Ordinal) || file.EndsWith("/latest.json", StringComparison.Ordinal) ||
                        file.Contains("/services/shard=", StringComparison.Ordinal) || file.Contains("/drift/date=", StringComparison.Ordinal) ||
                        file.Contains("/commits/sha=", StringComparison.Ordinal),
                $"only records, run index entries, manifests, latest pointers and organization objects may live in the records tree, found {file}");
            foreach (var line in (await File.ReadAllTextAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line); // throws if torn
            }
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data.Path, ".staging"), "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(data.Path, StaleKeys)),
            "a recovery must replay a recycled log's own records only, never those the file held before");

        // 7. The compacted manifests (reconcile folds every segment in) list every acknowledged run, once,
        // and latest is the newest of them.
        var serviceTree = ServiceTree(data.Path);
        var listed = Directory.EnumerateFiles(Path.Combine(serviceTree, "manifests"), "*.jsonl")
            .SelectMany(File.ReadAllLines)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        var listedRuns = listed.Select(entry => entry.GetProperty("run_id").GetString()!).ToList();
        Assert.Equal(listedRuns.Count, listedRuns.Distinct().Count());
        Assert.Empty(acknowledged.Keys.Except(listedRuns));
        var newest = listed.MaxBy(entry => (entry.GetProperty("received_at").GetString(), entry.GetProperty("run_id").GetString()),
            Comparer<(string?, string?)>.Create((x, y) => string.CompareOrdinal(x.Item1, y.Item1) is var c && c != 0 ? c : string.CompareOrdinal(x.Item2, y.Item2)));
        using var reader = new HttpClient { BaseAddress = final.BaseAddress };
        var latest = await reader.GetAsync("/v1/runs/acme/checkout/api/latest");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal(newest.GetProperty("run_id").GetString(), (await latest.JsonBodyAsync()).GetProperty("run_id").GetString());

        // 8. Retrying an acknowledged run after the crashes still answers with its original location.
        using var check = new HttpClient { BaseAddress = final.BaseAddress };
        var (sampleRun, sample) = acknowledged.First();
        var retry = await check.PostAsync("/v1/artifacts", Posts.Json(Posts.Valid(runId: sampleRun)));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(sample.Location, (await retry.JsonBodyAsync()).GetProperty("location").GetString());
    }

    /// <summary>
    /// Leaves in the data directory what a previous process's clean shutdown leaves: a checkpointed
    /// log kept as a spare, here 16 MiB of records of keys the test never writes, whose files are then
    /// removed. The first server adopts it as its log (and each later one the log the crash before it
    /// left, which recovery recycles), so the records it writes lie over earlier ones and every
    /// recovery reads a file with other records past its own. A replay that went on past them would
    /// bring the removed keys back (CommitLogTests places such a record exactly where a log's own end).
    /// </summary>
    private static async Task<List<string>> SeedStaleSpareLogAsync(string dataDirectory)
    {
        using (var previous = new FileSystemObjectStore(dataDirectory, commitLogRotateBytes: 32 * 1024 * 1024))
        {
            var content = new byte[64 * 1024];
            for (var i = 0; i < 256; i++)
            {
                await previous.CreateIfAbsentAsync($"{StaleKeys}/{i:D4}", content, CancellationToken.None);
            }
        }
        var spares = Directory.EnumerateFiles(Path.Combine(dataDirectory, CommitLog.DirectoryName), "*.spare").ToList();
        Assert.NotEmpty(spares);
        Directory.Delete(Path.Combine(dataDirectory, StaleKeys), recursive: true);
        return spares;
    }

    /// <summary>
    /// Cuts to half every file in the records tree whose key a surviving commit log names (linked
    /// after the log's last checkpoint): what a power loss may do to data that was never fsynced.
    /// </summary>
    private static int TearFilesOnlyTheLogMadeDurable(string dataDirectory)
    {
        var logged = CommitLog.KeysAwaitingCheckpoint(dataDirectory);
        var torn = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dataDirectory, "stricture"), "*", SearchOption.AllDirectories))
        {
            if (logged.Contains(Path.GetRelativePath(dataDirectory, file)))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.SetLength(stream.Length / 2);
                torn++;
            }
        }
        return torn;
    }

    private static string ServiceTree(string dataDirectory) =>
        Path.Combine(dataDirectory, "stricture", "v1", "org=acme", "project=checkout", "service=api");

    /// <summary>Every run id the list API returns for the days from <paramref name="from"/> to <paramref name="to"/>, page by page.</summary>
    private static async Task<HashSet<string>> ListAllRunsAsync(Uri server, DateOnly from, DateOnly to)
    {
        var days = new[] { from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var runs = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/v1/runs/acme/checkout/api?from={days[0]}&to={days[^1]}&limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}")).JsonBodyAsync();
            runs.UnionWith(page.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("run_id").GetString()!));
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return runs;
    }
}
