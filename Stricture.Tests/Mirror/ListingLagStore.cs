using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Mirror;

/// <summary>
/// A real store whose listings leave out chosen keys, which stay readable by key. A fake for one
/// fault: a gateway killed between writing an object and completing its bucket-index entry (Ceph
/// RGW completes the entry after answering the PUT) keeps the object but omits it from listings
/// until it repairs the entry; the real gateway cannot be made to do that on demand.
/// </summary>
internal sealed class ListingLagStore(IObjectStore store, IReadOnlySet<string> unlisted) : ForwardingObjectStore(store)
{
    public override async Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken)
    {
        var page = await base.ListAsync(prefix, continuationToken, maxKeys, cancellationToken);
        return page with { Keys = page.Keys.Where(key => !unlisted.Contains(key)).ToList() };
    }
}
