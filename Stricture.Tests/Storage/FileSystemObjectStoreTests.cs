using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>What only the filesystem driver does: paths, staging clean-up, the data directory lock. The shared contract is in <see cref="ObjectStoreContract"/>.</summary>
public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_directory.Path);

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Uncommitted_staged_content_is_recycled_as_the_next_temp_file_not_left_to_pile_up()
    {
        using var store = new FileSystemObjectStore(_directory.Path, CommitLog.DefaultRotateBytes, recycledReuseAfter: TimeSpan.Zero);
        for (var i = 0; i < 20; i++)
        {
            await using (await store.StageBytesAsync(Bytes($"abandoned {i}"), default))
            {
            }
        }
        Assert.Single(StagingFiles());
    }

    [Fact]
    public async Task A_replace_recycles_the_old_file_and_never_the_file_of_a_live_key()
    {
        // Reuse at once (in service a replaced file waits seconds), so every stage below rewrites a recycled file if there is one.
        using var store = new FileSystemObjectStore(_directory.Path, CommitLog.DefaultRotateBytes, recycledReuseAfter: TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(CreateOutcome.Created, await store.CreateIfAbsentAsync($"live/k{i}.json", Bytes($"created {i}"), default));
        }
        for (var i = 0; i < 200; i++)
        {
            var content = Bytes($"version {i}");
            Assert.True(await store.UpdateAsync("hot.json", _ => content, default), $"replace {i} must win: nothing else writes");
        }

        Assert.Equal("version 199", Encoding.UTF8.GetString((await store.ReadAsync("hot.json", default))!.Content.Span));
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal($"created {i}", Encoding.UTF8.GetString((await store.ReadAsync($"live/k{i}.json", default))!.Content.Span));
        }
        Assert.True(StagingFiles().Count <= 2, $"200 replaces must reuse the files they swap out, found {StagingFiles().Count} temp files");
    }

    [Fact]
    public async Task Readers_racing_replaces_that_recycle_at_once_read_whole_versions_and_never_an_integrity_failure()
    {
        using var store = new FileSystemObjectStore(_directory.Path, CommitLog.DefaultRotateBytes, recycledReuseAfter: TimeSpan.Zero);
        // Versions of different lengths, so a file rewritten under a reader is caught by its length or its hash.
        var versions = Enumerable.Range(0, 300).Select(i => Bytes(new string((char)('a' + i % 26), 100 + i % 50 * 40))).ToArray();
        var written = versions.Select(Convert.ToHexStringLower).ToHashSet();
        await store.CreateIfAbsentAsync("raced.json", versions[0], default);
        using var writing = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!writing.IsCancellationRequested && reads < 100_000)
            {
                var read = await store.ReadAsync("raced.json", default);
                Assert.Contains(Convert.ToHexStringLower(read!.Content.Span), written);
                reads++;
            }
            return reads;
        })).ToList();

        foreach (var version in versions.Skip(1))
        {
            await store.UpdateAsync("raced.json", _ => version, default);
        }
        await writing.CancelAsync();

        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }

    private List<string> StagingFiles() =>
        Directory.EnumerateFiles(Path.Combine(_directory.Path, ".staging"), "*", SearchOption.AllDirectories).ToList();

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_data_directory_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateIfAbsentAsync(key, Bytes("x"), default));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_create_puts_the_staged_file_in_place_by_a_move_or_where_that_is_refused_a_link_and_leaves_no_temp_name(bool movesIntoPlace)
    {
        // A filesystem that refuses RENAME_NOREPLACE cannot be had on demand here: the link path is taken by clearing the flag the driver clears then.
        _store.MovesIntoPlace = movesIntoPlace;
        Assert.Equal(CreateOutcome.Created, await _store.CreateIfAbsentAsync("runs/new/a.json", Bytes("first"), default));
        Assert.Equal(CreateOutcome.AlreadyExists, await _store.CreateIfAbsentAsync("runs/new/a.json", Bytes("second"), default));

        Assert.Equal("first", Encoding.UTF8.GetString((await _store.ReadAsync("runs/new/a.json", default))!.Content.Span));
        // The key's file has no temp name left in the staging area (what is there is the second create's, recycled).
        var inode = Posix.InodeOf(Path.Combine(_directory.Path, "runs/new/a.json"));
        Assert.NotNull(inode);
        Assert.DoesNotContain(StagingFiles(), file => Posix.InodeOf(file) == inode);
    }

    [Fact]
    public async Task Leftover_staging_files_are_removed_at_start_up()
    {
        var staging = Path.Combine(_directory.Path, ".staging");
        await File.WriteAllTextAsync(Path.Combine(staging, "a", "crashed-writer.tmp"), "partial");

        Assert.Equal(1, new FileSystemObjectStore(_directory.Path).Recover().RemovedStagingFiles);
        Assert.Empty(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_second_writer_process_cannot_take_the_data_directory()
    {
        using var first = DataDirectoryLock.Acquire(_directory.Path);
        var failure = Assert.Throws<InvalidOperationException>(() => DataDirectoryLock.Acquire(_directory.Path));
        Assert.Contains("in use by another Stricture server process", failure.Message);
    }

    [Fact]
    public async Task The_recorded_sha256_takes_no_disk_space_beyond_what_the_file_itself_takes()
    {
        // A record's size: one 4 KiB block of content. As 64 hex characters the attribute took a
        // 4 KiB block of its own on ext4 (default 256-byte inodes); as the digest it fits in the inode.
        var content = new byte[4000];
        Random.Shared.NextBytes(content);
        await _store.CreateIfAbsentAsync("sized/record.json", content, default);
        var plain = Path.Combine(_directory.Path, "sized", "plain.json");
        await File.WriteAllBytesAsync(plain, content);

        var stored = AllocatedBytes(Path.Combine(_directory.Path, "sized", "record.json"));
        Assert.True(stored <= AllocatedBytes(plain),
            $"a stored object must take no more space than the same bytes without the attribute: {stored} B allocated, against {AllocatedBytes(plain)} B");
    }

    [Fact]
    public async Task A_sha256_recorded_as_hex_by_an_earlier_version_is_still_read_and_checked()
    {
        var content = Bytes("{\"written\":\"by an earlier version\"}");
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var path = Path.Combine(_directory.Path, "old", "record.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
        SetAttribute(path, Encoding.ASCII.GetBytes(sha256));

        Assert.Equal(sha256, (await _store.ReadAsync("old/record.json", default))!.Sha256);
        Assert.Equal(sha256, (await _store.GetInfoAsync("old/record.json", default))!.Sha256);

        SetAttribute(path, Encoding.ASCII.GetBytes(new string('0', 64)));
        var failure = await Assert.ThrowsAsync<ObjectIntegrityException>(() => _store.ReadAsync("old/record.json", default));
        Assert.Equal(sha256, failure.ActualSha256);
    }

    private static void SetAttribute(string path, byte[] value)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        Assert.True(Posix.TrySetAttribute(file, Sha256Attribute.Name, value), "the test directory's filesystem must keep user extended attributes");
    }

    /// <summary>The bytes the filesystem allocated to a file (stat's blocks, in 512-byte units), attribute blocks included.</summary>
    private static long AllocatedBytes(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%b", path]) { RedirectStandardOutput = true })!;
        var blocks = long.Parse(stat.StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        stat.WaitForExit();
        return blocks * 512;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
