namespace Stricture.Storage.Mirror;

/// <summary>The object store already holds other bytes at a key the replicator copies: an alarm, never overwritten.</summary>
public sealed class ReplicaMismatchException(string key, string localSha256, string? remoteSha256)
    : Exception($"The object store holds '{key}' with SHA-256 {remoteSha256 ?? "(none recorded)"}, but the local record has {localSha256}; it was left in place.")
{
    public string Key { get; } = key;
}
