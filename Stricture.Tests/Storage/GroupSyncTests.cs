using Stricture.Storage.Filesystem;

namespace Stricture.Tests.Storage;

/// <summary>Group commit: concurrent callers share directory fsyncs, and none returns before one that covers it.</summary>
public sealed class GroupSyncTests
{
    [Fact]
    public async Task Concurrent_callers_share_fsyncs_but_each_waits_for_one_that_started_after_it()
    {
        var fsyncs = 0;
        var inFsync = new ManualResetEventSlim(false);
        var release = new ManualResetEventSlim(false);
        var sync = new GroupSync<string>(_ =>
        {
            Interlocked.Increment(ref fsyncs);
            inFsync.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        });

        // 1. The first caller starts an fsync, which blocks.
        var first = sync.SyncAsync("/d");
        Assert.True(inFsync.Wait(TimeSpan.FromSeconds(10)), "the first fsync must start");

        // 2. Sixteen callers arrive while it runs: the running fsync may predate their changes,
        //    so none of them may complete with it.
        var later = Enumerable.Range(0, 16).Select(_ => sync.SyncAsync("/d")).ToArray();
        Assert.False(first.IsCompleted);

        // 3. Release: the first completes, then one more fsync serves all sixteen.
        release.Set();
        await first;
        await Task.WhenAll(later);

        Assert.Equal(2, fsyncs);
    }

    [Fact]
    public async Task A_failed_fsync_fails_every_caller_it_covers()
    {
        var sync = new GroupSync<string>(_ => throw new IOException("disk gone"));
        var failure = await Assert.ThrowsAsync<IOException>(() => sync.SyncAsync("/d"));
        Assert.Equal("disk gone", failure.Message);
    }

    [Fact]
    public async Task Different_directories_are_synced_independently()
    {
        var synced = new System.Collections.Concurrent.ConcurrentBag<string>();
        var sync = new GroupSync<string>(synced.Add);
        await Task.WhenAll(sync.SyncAsync("/a"), sync.SyncAsync("/b"));
        Assert.Equal(["/a", "/b"], synced.Order());
    }
}
