using System.Collections.Concurrent;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The last version of small mutable objects this process read or wrote (content and ETag), so a
/// compare-and-swap update can try its replace without reading first. A stale version only makes
/// that replace fail and the update read and try again, so it is a hint, never a source of truth;
/// bounded by forgetting everything past <see cref="MaxObjects"/>.
/// </summary>
public sealed class ObjectVersions
{
    public const int MaxObjects = 16_384;

    private readonly ConcurrentDictionary<string, StoredObject> _versions = new(StringComparer.Ordinal);

    public StoredObject? Get(string key) => _versions.TryGetValue(key, out var version) ? version : null;

    public void Set(StoredObject version)
    {
        if (_versions.Count >= MaxObjects)
        {
            _versions.Clear();
        }
        _versions[version.Key] = version;
    }

    public void Forget(string key) => _versions.TryRemove(key, out _);
}
