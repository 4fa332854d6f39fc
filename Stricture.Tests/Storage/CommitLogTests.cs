using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>
/// The filesystem driver's commit log: a commit is durable because its record is, so what a power
/// loss can do to the files linked since the last checkpoint (lose them, tear them) is undone at
/// start-up from the log. A power loss is simulated by doing to the files what it may do, on a store
/// that was never shut down (a crash leaves its log unchecked).
/// </summary>
public sealed class CommitLogTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_committed_file_that_a_crash_lost_is_restored_at_start_up()
    {
        // 1. Commit, then crash: the store is never disposed, so its log is not checkpointed.
        var crashed = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(CreateOutcome.Created, await crashed.CreateIfAbsentAsync("a/b/payload.json", Bytes("acknowledged"), default));

        // 2. The power loss takes the linked file and its directory with it.
        Directory.Delete(Path.Combine(_directory.Path, "a"), recursive: true);

        // 3. The next owner's start-up restores it from the log, intact and verifiable.
        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(1, restarted.Recover().RestoredFromLog);
        var stored = await restarted.ReadAsync("a/b/payload.json", default);
        Assert.True(stored is not null, "a committed file must be restored after a crash lost it");
        Assert.Equal("acknowledged", Encoding.UTF8.GetString(stored.Content.Span));
        Assert.Empty(LogFiles());
    }

    [Fact]
    public async Task A_committed_file_that_a_crash_tore_is_rewritten_with_its_logged_content()
    {
        var crashed = new FileSystemObjectStore(_directory.Path);
        await crashed.CreateIfAbsentAsync("a/payload.json", Bytes("the whole record, every byte of it"), default);
        // A lost data write leaves the file's name with fewer bytes than were written.
        File.WriteAllBytes(Path.Combine(_directory.Path, "a/payload.json"), Bytes("the whole"));

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(1, restarted.Recover().RestoredFromLog);
        var stored = await restarted.ReadAsync("a/payload.json", default);
        Assert.Equal("the whole record, every byte of it", Encoding.UTF8.GetString(stored!.Content.Span));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(SpillingContent.InMemoryLimit)]
    [InlineData(SpillingContent.InMemoryLimit + 1)]
    [InlineData(3 * SpillingContent.InMemoryLimit + 17)]
    public async Task Content_kept_in_memory_and_content_staged_in_a_file_are_both_restored_byte_for_byte(int length)
    {
        // Small content is logged from memory, larger content copied from its staged file: a record
        // of either kind must hold every byte, or the replay stops at it and loses what follows.
        var first = new byte[length];
        var second = new byte[length];
        new Random(length).NextBytes(first);
        new Random(length + 1).NextBytes(second);
        var crashed = new FileSystemObjectStore(_directory.Path);
        await crashed.CreateIfAbsentAsync("a/first.bin", first, default);
        await crashed.CreateIfAbsentAsync("a/second.bin", second, default);
        Directory.Delete(Path.Combine(_directory.Path, "a"), recursive: true);

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(2, restarted.Recover().RestoredFromLog);
        Assert.Equal(first, (await restarted.ReadAsync("a/first.bin", default))!.Content.ToArray());
        Assert.Equal(second, (await restarted.ReadAsync("a/second.bin", default))!.Content.ToArray());
    }

    [Fact]
    public async Task Replay_leaves_the_last_replace_of_a_key_not_an_earlier_one()
    {
        var crashed = new FileSystemObjectStore(_directory.Path);
        await crashed.CreateIfAbsentAsync("latest.json", Bytes("v1"), default);
        var v1 = (await crashed.ReadAsync("latest.json", default))!;
        await using (var v2 = await crashed.StageBytesAsync(Bytes("v2"), default))
        {
            Assert.Equal(ReplaceOutcome.Replaced, await crashed.CommitIfMatchAsync(v2, "latest.json", v1.ETag, default));
        }
        File.Delete(Path.Combine(_directory.Path, "latest.json"));

        using var restarted = new FileSystemObjectStore(_directory.Path);
        restarted.Recover();
        Assert.Equal("v2", Encoding.UTF8.GetString((await restarted.ReadAsync("latest.json", default))!.Content.Span));
    }

    [Fact]
    public async Task A_torn_tail_of_the_log_is_ignored_and_the_records_before_it_are_restored()
    {
        var crashed = new FileSystemObjectStore(_directory.Path);
        await crashed.CreateIfAbsentAsync("first", Bytes("flushed before the crash"), default);
        await crashed.CreateIfAbsentAsync("second", Bytes("torn by the crash"), default);
        // The crash came during the second record's flush: its bytes are cut short.
        var log = Assert.Single(LogFiles());
        using (var file = new FileStream(log, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(file.Length - 5);
        }
        File.Delete(Path.Combine(_directory.Path, "first"));
        File.Delete(Path.Combine(_directory.Path, "second"));

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(1, restarted.Recover().RestoredFromLog);
        Assert.Equal("flushed before the crash", Encoding.UTF8.GetString((await restarted.ReadAsync("first", default))!.Content.Span));
        Assert.True(await restarted.ReadAsync("second", default) is null, "a record the crash tore was never acknowledged and must not appear half-written");
    }

    [Fact]
    public async Task Files_a_crash_left_intact_are_not_rewritten()
    {
        var crashed = new FileSystemObjectStore(_directory.Path);
        await crashed.CreateIfAbsentAsync("kept", Bytes("intact"), default);

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(0, restarted.Recover().RestoredFromLog);
        Assert.Empty(LogFiles());
    }

    [Fact]
    public async Task A_clean_shutdown_checkpoints_the_log_so_a_restart_has_nothing_to_replay()
    {
        using (var store = new FileSystemObjectStore(_directory.Path))
        {
            await store.CreateIfAbsentAsync("k", Bytes("v"), default);
            Assert.NotEmpty(LogFiles());
        }
        Assert.Empty(LogFiles());
    }

    [Fact]
    public async Task A_full_log_is_checkpointed_and_deleted_while_commits_go_on()
    {
        using var store = new FileSystemObjectStore(_directory.Path, commitLogRotateBytes: 1024);
        for (var i = 0; i < 20; i++)
        {
            await store.CreateIfAbsentAsync($"k{i}", new byte[200], default);
        }
        // Each log holds about five commits; all but the one in use are checkpointed in the background.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (LogFiles().Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(LogFiles().Count <= 1, $"full logs must be checkpointed and deleted; {LogFiles().Count} remain");
        Assert.True(SpareFiles().Count <= CommitLog.MaxSpares, $"at most {CommitLog.MaxSpares} checkpointed logs are kept for reuse; {SpareFiles().Count} are");
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await store.GetInfoAsync($"k{i}", default) is not null, $"k{i} must stay committed across checkpoints");
        }
    }

    [Fact]
    public async Task A_recycled_log_replays_only_its_own_records_not_those_it_held_before()
    {
        // 1. Fill a log with equal-sized records, then one large one so it passes its limit: it is
        //    checkpointed and kept as a spare.
        var crashed = new FileSystemObjectStore(_directory.Path, commitLogRotateBytes: 4096);
        for (var i = 0; i < 12; i++)
        {
            await crashed.CreateIfAbsentAsync($"old/{i:D2}", new byte[200], default);
        }
        await crashed.CreateIfAbsentAsync("old/12", new byte[1000], default);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((SpareFiles().Count == 0 || LogFiles().Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Single(SpareFiles());

        // 2. The next commit's log is that spare renamed: its record, as long as old/00's, overwrites
        //    it, and old/01's record follows whole. Then the process crashes.
        await crashed.CreateIfAbsentAsync("new/00", new byte[200], default);
        Assert.Empty(SpareFiles());
        Assert.Equal(["new/00"], CommitLog.KeysAwaitingCheckpoint(_directory.Path));

        // 3. Recovery replays the new record and stops where the file's earlier records begin: were it
        //    to replay old/01 it would bring back content a checkpoint had already made durable, or,
        //    had the key been replaced since, an older version over a newer one. Deleting both files
        //    makes either replay visible.
        File.Delete(Path.Combine(_directory.Path, "new/00"));
        File.Delete(Path.Combine(_directory.Path, "old/01"));
        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(1, restarted.Recover().RestoredFromLog);
        Assert.True(await restarted.GetInfoAsync("new/00", default) is not null, "the recycled log's own record must be replayed");
        Assert.True(await restarted.GetInfoAsync("old/01", default) is null, "a record the recycled file held before must not be replayed");
    }

    [Fact]
    public async Task A_restart_reuses_the_spare_logs_a_previous_process_left()
    {
        using (var first = new FileSystemObjectStore(_directory.Path, commitLogRotateBytes: 1024))
        {
            for (var i = 0; i < 20; i++)
            {
                await first.CreateIfAbsentAsync($"k{i}", new byte[200], default);
            }
        }
        var left = SpareFiles();
        Assert.InRange(left.Count, 1, CommitLog.MaxSpares);

        using var second = new FileSystemObjectStore(_directory.Path, commitLogRotateBytes: 1024);
        second.Recover();
        await second.CreateIfAbsentAsync("after", new byte[200], default);
        Assert.Contains(left, spare => !File.Exists(spare));
        Assert.True(SpareFiles().Count < left.Count || LogFiles().Count == 1, "the new log must be a spare renamed, not a new file beside them");
    }

    [Fact]
    public async Task A_half_full_new_log_gets_a_zeroed_spare_ready_and_the_next_log_is_that_spare()
    {
        var crashed = new FileSystemObjectStore(_directory.Path, commitLogRotateBytes: 8192, prepareSpareLogs: true);
        for (var i = 0; i < 16; i++)
        {
            await crashed.CreateIfAbsentAsync($"first/{i:D2}", new byte[300], default);
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (SpareFiles().Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var spare = Assert.Single(SpareFiles());
        Assert.Equal(new byte[8192], await File.ReadAllBytesAsync(spare));

        // Past the limit the next log is the spare renamed; what it logs is replayed after a crash.
        for (var i = 0; i < 16; i++)
        {
            await crashed.CreateIfAbsentAsync($"second/{i:D2}", new byte[300], default);
        }
        Assert.False(File.Exists(spare), "the next log must be the zeroed spare, renamed");
        // The first log's checkpoint runs in the background: let it end, as it would have before a crash that came later.
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (LogFiles().Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Directory.Delete(Path.Combine(_directory.Path, "second"), recursive: true);
        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.True(restarted.Recover().RestoredFromLog > 0, "records written into the zeroed spare must be replayed");
        Assert.True(await restarted.GetInfoAsync("second/15", default) is not null);
    }

    [Fact]
    public async Task Records_of_a_log_written_before_logs_were_recycled_are_still_replayed()
    {
        // A log in the earlier record format, as a process of the previous version leaves it when it
        // crashes; the upgraded server must replay it.
        var content = Bytes("acknowledged before the upgrade");
        WriteLogOfThePreviousFormat("a/payload.json", content);

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(1, restarted.Recover().RestoredFromLog);
        Assert.Equal(content, (await restarted.ReadAsync("a/payload.json", default))!.Content.ToArray());
    }

    [Fact]
    public async Task In_a_shared_folder_a_recovery_replays_the_logs_of_dead_processes_and_leaves_a_live_ones_log_to_it()
    {
        // The mirror spool: the replicator logs its catch-up entries in the folder ingest logs in.
        var replicator = new FileSystemObjectStore(_directory.Path, CommitLog.DefaultRotateBytes, sharedFolder: true);
        await replicator.CreateIfAbsentAsync("pending/r1", Bytes("replicator, before"), default);
        var replicatorLog = Assert.Single(LogFiles());
        WriteLogOfThePreviousFormat("pending/dead", Bytes("a process that died"));

        // Ingest restarts while the replicator runs: only the dead process's log is replayed and retired.
        var ingest = new FileSystemObjectStore(_directory.Path, CommitLog.DefaultRotateBytes, sharedFolder: true);
        Assert.Equal(1, ingest.Recover().RestoredFromLog);
        Assert.Equal([replicatorLog], LogFiles());

        // Both go on appending, each to its own log (taking the replicator's as a spare would have
        // let ingest's records overwrite it). Then both die in a power loss that takes the entries.
        await replicator.CreateIfAbsentAsync("pending/r2", Bytes("replicator, after"), default);
        await ingest.CreateIfAbsentAsync("pending/i1", Bytes("ingest"), default);
        Assert.Equal(2, LogFiles().Count);
        Directory.Delete(Path.Combine(_directory.Path, "pending"), recursive: true);

        // (Recovery by a store that does not check for live logs: in this process both are still open.)
        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(3, restarted.Recover().RestoredFromLog);
        foreach (var (key, text) in new[] { ("pending/r1", "replicator, before"), ("pending/r2", "replicator, after"), ("pending/i1", "ingest") })
        {
            Assert.Equal(text, Encoding.UTF8.GetString((await restarted.ReadAsync(key, default))!.Content.Span));
        }
    }

    [Fact]
    public async Task Concurrent_commits_share_log_flushes_and_each_is_durable_on_return()
    {
        var crashed = new FileSystemObjectStore(_directory.Path);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => crashed.CreateIfAbsentAsync($"runs/{i}", Bytes($"run {i}"), default)));
        Directory.Delete(Path.Combine(_directory.Path, "runs"), recursive: true);

        using var restarted = new FileSystemObjectStore(_directory.Path);
        Assert.Equal(64, restarted.Recover().RestoredFromLog);
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal($"run {i}", Encoding.UTF8.GetString((await restarted.ReadAsync($"runs/{i}", default))!.Content.Span));
        }
    }

    /// <summary>A log in the record format before logs were recycled (its check does not cover the log's name), of a process that died.</summary>
    private void WriteLogOfThePreviousFormat(string keyText, byte[] content)
    {
        var key = Bytes(keyText);
        var header = new byte[56 + key.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x4C525453);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), key.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), content.Length);
        SHA256.HashData(content).CopyTo(header.AsSpan(16));
        key.CopyTo(header.AsSpan(56));
        SHA256.HashData([.. header.AsSpan(0, 48), .. key]).AsSpan(0, 8).CopyTo(header.AsSpan(48));
        Directory.CreateDirectory(Path.Combine(_directory.Path, ".wal"));
        File.WriteAllBytes(Path.Combine(_directory.Path, ".wal", "0639000000000000000-0123456789abcdef0123456789abcdef-000001.log"), [.. header, .. content]);
    }

    private List<string> LogFiles() => Directory.EnumerateFiles(Path.Combine(_directory.Path, ".wal"), "*.log").ToList();

    private List<string> SpareFiles() => Directory.EnumerateFiles(Path.Combine(_directory.Path, ".wal"), "*.spare").ToList();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
