using Stricture.Storage.Mirror;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>
/// The idle replicator's wake-up: an entry arriving in the pending folder ends the wait, however it
/// arrives (ingest links a new entry into place; an operator or a test may move one in). Each wait is
/// bounded by a minute: a watcher that missed the arrival fails the test, it does not hang it.
/// </summary>
public sealed class SpoolArrivalsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_entry_linked_into_the_pending_folder_ends_the_wait()
    {
        var pending = Path.Combine(_directory.Path, "pending");
        using var arrivals = new SpoolArrivals(pending);
        var staged = Path.Combine(_directory.Path, "entry.tmp");
        await File.WriteAllTextAsync(staged, "stricture/v1/org=acme/project=p/service=s/runs/run=r1.json");

        var waiting = arrivals.WaitAsync(Bound, default);
        File.Copy(staged, Path.Combine(pending, "0638-entry"));

        Assert.True(await waiting, "an entry created in the pending folder must wake the replicator, not leave it to its poll");
    }

    [Fact]
    public async Task An_entry_moved_into_the_pending_folder_ends_the_wait()
    {
        var pending = Path.Combine(_directory.Path, "pending");
        using var arrivals = new SpoolArrivals(pending);
        var held = Path.Combine(_directory.Path, "held");
        Directory.CreateDirectory(held);
        await File.WriteAllTextAsync(Path.Combine(held, "0638-entry"), "stricture/v1/org=acme/project=p/service=s/runs/run=r1.json");

        var waiting = arrivals.WaitAsync(Bound, default);
        File.Move(Path.Combine(held, "0638-entry"), Path.Combine(pending, "0638-entry"));

        Assert.True(await waiting, "an entry moved into the pending folder must wake the replicator");
    }

    [Fact]
    public async Task With_nothing_arriving_the_wait_ends_by_its_poll_interval()
    {
        using var arrivals = new SpoolArrivals(Path.Combine(_directory.Path, "pending"));

        Assert.False(await arrivals.WaitAsync(TimeSpan.FromMilliseconds(50), default), "a quiet folder must leave the replicator to its poll");
    }
}
