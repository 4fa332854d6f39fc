using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Storage;

/// <summary>
/// The storage contract every driver keeps, run unchanged against each of them (the filesystem
/// driver, and the S3 driver against a real S3 server): create-new, races, compare-and-swap,
/// listing, large objects and integrity.
/// </summary>
public abstract class ObjectStoreContract : IAsyncLifetime
{
    protected IObjectStore Store { get; private set; } = null!;

    protected abstract Task<IObjectStore> CreateStoreAsync();

    /// <summary>Changes an object's bytes behind the driver's back, leaving its recorded SHA-256 as it was.</summary>
    protected abstract Task CorruptAsync(string key);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Create_if_absent_creates_once_and_never_overwrites()
    {
        Assert.Equal(CreateOutcome.Created, await Store.CreateIfAbsentAsync("a/b/c.json", Bytes("first"), default));
        Assert.Equal(CreateOutcome.AlreadyExists, await Store.CreateIfAbsentAsync("a/b/c.json", Bytes("second"), default));
        Assert.Equal("first", Text(await Store.ReadAsync("a/b/c.json", default)));
    }

    [Fact]
    public async Task Thirty_two_concurrent_creators_of_one_key_have_exactly_one_winner()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(() => Store.CreateIfAbsentAsync("race/key.json", Bytes($"writer {i}"), default))));

        Assert.Single(outcomes, outcome => outcome == CreateOutcome.Created);
        Assert.StartsWith("writer ", Text(await Store.ReadAsync("race/key.json", default)));
    }

    [Fact]
    public async Task A_create_answered_before_it_completes_is_in_place_before_any_commit_made_after_the_answer()
    {
        await using var record = await Store.StageBytesAsync(Bytes("the record"), default);
        await Store.CreateIfAbsentAsync("naming/pointer.json", Bytes("none yet"), default);
        var pointer = (await Store.ReadAsync("naming/pointer.json", default))!;

        var pending = await Store.BeginCommitIfAbsentAsync(record, "naming/runs/run=1.json", default);
        Assert.Equal(CreateOutcome.Created, pending.Outcome);
        // Objects that name the record, committed without waiting for it: once either returns, the record is readable.
        Assert.Equal(CreateOutcome.Created, await Store.CreateIfAbsentAsync("naming/segment.jsonl", Bytes("run=1"), default));
        Assert.Equal("the record", Text(await Store.ReadAsync("naming/runs/run=1.json", default)));
        await using (var moved = await Store.StageBytesAsync(Bytes("run=1"), default))
        {
            Assert.Equal(ReplaceOutcome.Replaced, await Store.CommitIfMatchAsync(moved, "naming/pointer.json", pointer.ETag, default));
        }
        await pending.Completion;
        Assert.Equal(record.Sha256, (await Store.ReadAsync("naming/runs/run=1.json", default))!.Sha256);

        await using var retry = await Store.StageBytesAsync(Bytes("a retry"), default);
        var again = await Store.BeginCommitIfAbsentAsync(retry, "naming/runs/run=1.json", default);
        Assert.Equal(CreateOutcome.AlreadyExists, again.Outcome);
        Assert.True(again.Completion.IsCompletedSuccessfully);
        Assert.Equal("the record", Text(await Store.ReadAsync("naming/runs/run=1.json", default)));
    }

    [Fact]
    public async Task Concurrent_creates_answered_early_have_one_winner_whose_content_every_loser_then_reads()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await using var staged = await Store.StageBytesAsync(Bytes($"writer {i}"), default);
            var pending = await Store.BeginCommitIfAbsentAsync(staged, "early-race/key.json", default);
            // A loser is answered only once the winner's content is in place.
            var seen = pending.Outcome == CreateOutcome.AlreadyExists ? Text(await Store.ReadAsync("early-race/key.json", default)) : null;
            await pending.Completion;
            return (pending.Outcome, Content: $"writer {i}", Seen: seen);
        })));

        var winner = Assert.Single(outcomes, outcome => outcome.Outcome == CreateOutcome.Created);
        Assert.All(outcomes.Where(outcome => outcome.Outcome == CreateOutcome.AlreadyExists), loser => Assert.Equal(winner.Content, loser.Seen));
        Assert.Equal(winner.Content, Text(await Store.ReadAsync("early-race/key.json", default)));
    }

    [Fact]
    public async Task Staged_content_reports_its_sha256_and_length_and_is_invisible_until_committed()
    {
        await using var staged = await Store.StageBytesAsync(Bytes("hello"), default);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", staged.Sha256);
        Assert.Equal(5, staged.Length);
        Assert.Null(await Store.ReadAsync("x/hello.txt", default));

        Assert.Equal(CreateOutcome.Created, await Store.CommitIfAbsentAsync(staged, "x/hello.txt", default));
        Assert.Equal("hello", Text(await Store.ReadAsync("x/hello.txt", default)));
    }

    [Fact]
    public async Task Compare_and_swap_replaces_only_the_expected_version()
    {
        await Store.CreateIfAbsentAsync("m.jsonl", Bytes("v1"), default);
        var v1 = (await Store.ReadAsync("m.jsonl", default))!;

        await using (var v2 = await Store.StageBytesAsync(Bytes("v2"), default))
        {
            Assert.Equal(ReplaceOutcome.Replaced, await Store.CommitIfMatchAsync(v2, "m.jsonl", v1.ETag, default));
        }
        await using (var stale = await Store.StageBytesAsync(Bytes("stale writer"), default))
        {
            Assert.Equal(ReplaceOutcome.PreconditionFailed, await Store.CommitIfMatchAsync(stale, "m.jsonl", v1.ETag, default));
        }
        await using (var missing = await Store.StageBytesAsync(Bytes("x"), default))
        {
            Assert.Equal(ReplaceOutcome.NotFound, await Store.CommitIfMatchAsync(missing, "absent.jsonl", v1.ETag, default));
        }
        Assert.Equal("v2", Text(await Store.ReadAsync("m.jsonl", default)));
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_loops_lose_no_update()
    {
        await Store.CreateIfAbsentAsync("counter", Bytes("0"), default);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 200, "compare-and-swap must make progress");
                    var current = (await Store.ReadAsync("counter", default))!;
                    var next = int.Parse(Text(current)) + 1;
                    await using var staged = await Store.StageBytesAsync(Bytes(next.ToString()), default);
                    if (await Store.CommitIfMatchAsync(staged, "counter", current.ETag, default) == ReplaceOutcome.Replaced)
                    {
                        break;
                    }
                }
            }
        })));
        Assert.Equal("40", Text(await Store.ReadAsync("counter", default)));
    }

    [Fact]
    public async Task Reading_a_missing_key_returns_null()
    {
        Assert.Null(await Store.ReadAsync("no/such/key", default));
    }

    [Fact]
    public async Task Listing_pages_through_keys_under_a_prefix_in_ordinal_order()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"p/q/item-{i:D2}.json").Append("p/other.json").Append("elsewhere/x.json").ToList();
        await Task.WhenAll(keys.Select(key => Store.CreateIfAbsentAsync(key, Bytes(key), default)));

        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync("p/q/item-", token, 10, default);
            listed.AddRange(page.Keys);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(keys.Where(k => k.StartsWith("p/q/item-", StringComparison.Ordinal)).Order(StringComparer.Ordinal), listed);
        Assert.Empty((await Store.ListAsync("nothing/", null, 10, default)).Keys);
    }

    [Fact]
    public async Task Info_gives_the_size_and_recorded_sha256_without_reading()
    {
        var content = Bytes("{\"info\":true}");
        await Store.CreateIfAbsentAsync("info/object.json", content, default);

        var info = await Store.GetInfoAsync("info/object.json", default);

        Assert.Equal(new ObjectInfo("info/object.json", content.Length, Convert.ToHexStringLower(SHA256.HashData(content))), info);
        Assert.Null(await Store.GetInfoAsync("info/missing.json", default));
    }

    [Fact]
    public async Task Listing_orders_whole_keys_across_folders_one_key_per_page()
    {
        // '-' and '.' sort before '/', and '=' after it: a folder's keys are not simply listed before its siblings.
        string[] keys = ["t/a/x", "t/a-b", "t/a.c/y", "t/a=d", "t/a/z/deep", "t/ab", "u/not-listed"];
        await Task.WhenAll(keys.Select(key => Store.CreateIfAbsentAsync(key, Bytes(key), default)));

        var listed = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListAsync("t/", token, 1, default);
            listed.AddRange(page.Keys);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(keys.Where(k => k.StartsWith("t/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), listed);
        Assert.Equal(["t/a/x", "t/a/z/deep"], (await Store.ListAsync("t/a/", null, 10, default)).Keys);
    }

    [Fact]
    public async Task A_ten_megabyte_object_round_trips_with_its_sha256()
    {
        var content = new byte[10 * 1024 * 1024];
        new Random(42).NextBytes(content);
        await using var staged = await Store.StageAsync(async (stream, ct) =>
        {
            // Written in pieces, as the envelope writer does: the driver never needs it whole.
            for (var offset = 0; offset < content.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(content.AsMemory(offset, 64 * 1024), ct);
            }
        }, default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), staged.Sha256);
        Assert.Equal(CreateOutcome.Created, await Store.CommitIfAbsentAsync(staged, "big/object.bin", default));
        Assert.Equal(content, (await Store.ReadAsync("big/object.bin", default))!.Content.ToArray());
    }

    [Theory]
    [InlineData(SpillingContent.InMemoryLimit, 1)]
    [InlineData(SpillingContent.InMemoryLimit, 1000)]
    [InlineData(SpillingContent.InMemoryLimit + 1, 1)]
    [InlineData(SpillingContent.InMemoryLimit + 1, 1000)]
    [InlineData(SpillingContent.InMemoryLimit + 1, SpillingContent.InMemoryLimit + 1)]
    public async Task Content_at_and_just_past_what_staging_keeps_in_memory_round_trips(int length, int pieceLength)
    {
        // Staging keeps small content in memory and moves it to a file once it outgrows that: the
        // move may happen inside a write, and a commit must not care which one it got.
        var content = new byte[length];
        new Random(length + pieceLength).NextBytes(content);
        await using var staged = await Store.StageAsync(async (stream, ct) =>
        {
            for (var offset = 0; offset < content.Length; offset += pieceLength)
            {
                await stream.WriteAsync(content.AsMemory(offset, Math.Min(pieceLength, content.Length - offset)), ct);
            }
        }, default);

        Assert.Equal(length, staged.Length);
        Assert.Equal(CreateOutcome.Created, await Store.CommitIfAbsentAsync(staged, $"edge/{length}-{pieceLength}.bin", default));
        Assert.Equal(content, (await Store.ReadAsync($"edge/{length}-{pieceLength}.bin", default))!.Content.ToArray());
    }

    [Fact]
    public async Task A_corrupted_object_is_detected_and_never_returned_as_good()
    {
        await Store.CreateIfAbsentAsync("victim.json", Bytes("{\"intact\":true}"), default);
        await CorruptAsync("victim.json");

        var failure = await Assert.ThrowsAsync<ObjectIntegrityException>(() => Store.ReadAsync("victim.json", default));
        Assert.Equal("victim.json", failure.Key);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(StoredObject? stored) => Encoding.UTF8.GetString(stored!.Content.Span);
}
