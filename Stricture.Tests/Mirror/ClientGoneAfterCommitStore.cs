using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>
/// A real data directory that cancels the posting request's token the moment a record is
/// committed: the client went away at exactly that instant (a load generator stopped, a CI job
/// cancelled). A fake only for the timing, which a real client cannot hit on demand.
/// </summary>
internal sealed class ClientGoneAfterCommitStore(IObjectStore store, CancellationTokenSource request) : ForwardingObjectStore(store)
{
    public override async Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
    {
        var outcome = await base.CommitIfAbsentAsync(staged, key, cancellationToken);
        if (key.Contains("/runs/run=", StringComparison.Ordinal))
        {
            await request.CancelAsync();
        }
        return outcome;
    }
}
