using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// Passes every call to a real store; a test overrides the one call whose fault it injects (a fault
/// the real store cannot produce on demand: each subclass says which, and why it needs a fake).
/// </summary>
internal abstract class ForwardingObjectStore(IObjectStore store) : IObjectStore
{
    public virtual Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken) =>
        store.StageAsync(writeContent, cancellationToken);


    public virtual Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken) =>
        store.CommitIfAbsentAsync(staged, key, cancellationToken);

    public bool ChecksCommittedContent => store.ChecksCommittedContent;

    public virtual bool HasSingleWriter => store.HasSingleWriter;

    public virtual Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken) =>
        store.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);

    public virtual Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken) => store.ReadAsync(key, cancellationToken);

    public virtual Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => store.GetInfoAsync(key, cancellationToken);

    public virtual Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken) =>
        store.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);

    public virtual Task ProbeWritableAsync(CancellationToken cancellationToken) => store.ProbeWritableAsync(cancellationToken);
}
