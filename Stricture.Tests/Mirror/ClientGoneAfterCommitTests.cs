using Stricture.Storage.Filesystem;
using Stricture.Storage.Mirror;
using Stricture.Storage.Records;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>
/// Once a run's payload is stored, the rest of its post (its catalog entry, its spool entry for
/// replication) is done even if the client has gone: a run stored but never spooled would stay out
/// of the bucket until the replicator next restarted, and one missing from the catalog out of
/// queries until a reconcile. Found by bench/reliability.sh: the posts in flight when its load
/// stopped were in the data directory and never reached the bucket.
/// </summary>
public sealed class ClientGoneAfterCommitTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_run_stored_before_its_client_went_away_is_spooled_and_in_the_catalog()
    {
        using var request = new CancellationTokenSource();
        var spool = new ReplicationSpool(_directory.Path, TimeProvider.System);
        var harness = new RecordStoreHarness(
            new ClientGoneAfterCommitStore(new FileSystemObjectStore(_directory.Path), request), acceptedRuns: spool);

        IngestResult? result = null;
        try
        {
            result = await harness.Records.IngestAsync(RecordStoreHarness.Submission("gone-client", generatedAt: "2026-11-25T10:00:00Z"), request.Token);
        }
        catch (OperationCanceledException)
        {
            // The client is gone: whether it would have heard the 202 does not matter; what was stored does.
        }

        Assert.True(request.IsCancellationRequested, "the fault was not injected: no payload was committed");
        var location = result?.Location ?? harness.Keys.Record(RecordStoreHarness.Service.WithRun("gone-client"));
        Assert.True(await harness.Store.GetInfoAsync(location, default) is not null, "the payload was not stored, so nothing more was owed");
        Assert.Equal([location], (await spool.PendingRunKeysAsync(default)).Order());
        Assert.Equal(["gone-client"], (await harness.ManifestAsync("2026-11-25")).Select(entry => entry.RunId));
    }
}
