using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Mirror;

/// <summary>
/// A real store whose listings leave out chosen keys, which stay readable by key. This is a fake
/// for one fault: Ceph RGW killed between writing an object and completing its bucket-index entry
/// keeps the object but omits it from listings until it repairs the entry minutes later; the real
/// gateway cannot be made to do that on demand. Everything else goes to the real store.
/// </summary>
internal sealed class ListingLagStore(IObjectStore store, IReadOnlySet<string> unlisted) : IObjectStore
{
    public Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken) =>
        store.StageAsync(writeContent, cancellationToken);

    public Task PrepareKeyAsync(string key, CancellationToken cancellationToken) => store.PrepareKeyAsync(key, cancellationToken);

    public Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken) =>
        store.CommitIfAbsentAsync(staged, key, cancellationToken);

    public Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken) =>
        store.CommitIfMatchAsync(staged, key, expectedETag, cancellationToken);

    public Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken) => store.ReadAsync(key, cancellationToken);

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => store.GetInfoAsync(key, cancellationToken);

    public async Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);
        return page with { Keys = page.Keys.Where(key => !unlisted.Contains(key)).ToList() };
    }

    public Task ProbeWritableAsync(CancellationToken cancellationToken) => store.ProbeWritableAsync(cancellationToken);
}
