using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>The filesystem driver against the object-store contract: create-new, compare-and-swap, listing, staging.</summary>
public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Create_if_absent_creates_once_and_never_overwrites()
    {
        Assert.Equal(CreateOutcome.Created, await _store.CreateIfAbsentAsync("a/b/c.json", Bytes("first"), default));
        Assert.Equal(CreateOutcome.AlreadyExists, await _store.CreateIfAbsentAsync("a/b/c.json", Bytes("second"), default));

        var stored = await _store.ReadAsync("a/b/c.json", default);
        Assert.Equal("first", Encoding.UTF8.GetString(stored!.Content.Span));
    }

    [Fact]
    public async Task Thirty_two_concurrent_creators_of_one_key_have_exactly_one_winner()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(() => _store.CreateIfAbsentAsync("race/key.json", Bytes($"writer {i}"), default))));

        Assert.Single(outcomes, outcome => outcome == CreateOutcome.Created);
        var stored = Encoding.UTF8.GetString((await _store.ReadAsync("race/key.json", default))!.Content.Span);
        Assert.StartsWith("writer ", stored);
    }

    [Fact]
    public async Task Staged_content_reports_its_sha256_and_length_and_is_invisible_until_committed()
    {
        await using var staged = await _store.StageBytesAsync(Bytes("hello"), default);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", staged.Sha256);
        Assert.Equal(5, staged.Length);
        Assert.Empty((await _store.ListAsync("", null, 100, default)).Keys);

        await _store.CommitIfAbsentAsync(staged, "x/hello.txt", default);
        Assert.Equal(["x/hello.txt"], (await _store.ListAsync("", null, 100, default)).Keys);
    }

    [Fact]
    public async Task Disposing_uncommitted_staged_content_leaves_nothing_behind()
    {
        await using (await _store.StageBytesAsync(Bytes("abandoned"), default))
        {
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory.Path, ".staging")));
    }

    [Fact]
    public async Task Compare_and_swap_replaces_only_the_expected_version()
    {
        await _store.CreateIfAbsentAsync("m.jsonl", Bytes("v1"), default);
        var v1 = (await _store.ReadAsync("m.jsonl", default))!;

        await using (var v2 = await _store.StageBytesAsync(Bytes("v2"), default))
        {
            Assert.Equal(ReplaceOutcome.Replaced, await _store.CommitIfMatchAsync(v2, "m.jsonl", v1.ETag, default));
        }
        await using (var stale = await _store.StageBytesAsync(Bytes("stale writer"), default))
        {
            Assert.Equal(ReplaceOutcome.PreconditionFailed, await _store.CommitIfMatchAsync(stale, "m.jsonl", v1.ETag, default));
        }
        await using (var missing = await _store.StageBytesAsync(Bytes("x"), default))
        {
            Assert.Equal(ReplaceOutcome.NotFound, await _store.CommitIfMatchAsync(missing, "absent.jsonl", v1.ETag, default));
        }
        Assert.Equal("v2", Encoding.UTF8.GetString((await _store.ReadAsync("m.jsonl", default))!.Content.Span));
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_loops_lose_no_update()
    {
        await _store.CreateIfAbsentAsync("counter", Bytes("0"), default);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                while (true)
                {
                    var current = (await _store.ReadAsync("counter", default))!;
                    var next = int.Parse(Encoding.UTF8.GetString(current.Content.Span)) + 1;
                    await using var staged = await _store.StageBytesAsync(Bytes(next.ToString()), default);
                    if (await _store.CommitIfMatchAsync(staged, "counter", current.ETag, default) == ReplaceOutcome.Replaced)
                    {
                        break;
                    }
                }
            }
        })));
        Assert.Equal("160", Encoding.UTF8.GetString((await _store.ReadAsync("counter", default))!.Content.Span));
    }

    [Fact]
    public async Task Reading_a_missing_key_returns_null()
    {
        Assert.Null(await _store.ReadAsync("no/such/key", default));
    }

    [Fact]
    public async Task Listing_pages_through_keys_under_a_prefix_in_ordinal_order()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"p/q/item-{i:D2}.json").Append("p/other.json").Append("elsewhere/x.json").ToList();
        foreach (var key in keys)
        {
            await _store.CreateIfAbsentAsync(key, Bytes(key), default);
        }

        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _store.ListAsync("p/q/item-", token, 10, default);
            listed.AddRange(page.Keys);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(keys.Where(k => k.StartsWith("p/q/item-")).Order(StringComparer.Ordinal), listed);
        Assert.Empty((await _store.ListAsync("nothing/", null, 10, default)).Keys);
    }

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

    [Fact]
    public async Task Leftover_staging_files_are_removed_at_start_up()
    {
        var staging = Path.Combine(_directory.Path, ".staging");
        await File.WriteAllTextAsync(Path.Combine(staging, "crashed-writer.tmp"), "partial");

        Assert.Equal(1, new FileSystemObjectStore(_directory.Path).RemoveLeftoverStagingFiles());
        Assert.Empty(Directory.EnumerateFiles(staging));
    }

    [Fact]
    public void A_second_writer_process_cannot_take_the_data_directory()
    {
        using var first = DataDirectoryLock.Acquire(_directory.Path);
        var failure = Assert.Throws<InvalidOperationException>(() => DataDirectoryLock.Acquire(_directory.Path));
        Assert.Contains("in use by another Stricture server process", failure.Message);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
