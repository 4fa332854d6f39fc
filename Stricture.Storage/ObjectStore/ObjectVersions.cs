namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The last version of small mutable objects this process read or wrote (content and ETag), so a
/// compare-and-swap update can try its replace without reading first. A stale version only makes
/// that replace fail and the update read and try again, so it is a hint, never a source of truth;
/// bounded like every <see cref="ForgetfulMap{TValue}"/>.
/// </summary>
public sealed class ObjectVersions
{
    private readonly ForgetfulMap<StoredObject> _versions = new();

    public StoredObject? Get(string key) => _versions.TryGet(key, out var version) ? version : null;

    public void Set(StoredObject version) => _versions.Set(version.Key, version);

    public void Forget(string key) => _versions.Forget(key);
}
