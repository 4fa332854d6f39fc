namespace Stricture.Storage.ObjectStore;

/// <summary>
/// Content written by <see cref="IObjectStore.StageAsync"/>: hashed, durable, invisible at any key
/// until committed. Disposing it discards whatever was not committed.
/// </summary>
public abstract class StagedObject : IAsyncDisposable
{
    protected StagedObject(string sha256, long length)
    {
        Sha256 = sha256;
        Length = length;
    }

    /// <summary>Lowercase hex SHA-256 of the staged bytes.</summary>
    public string Sha256 { get; }

    public long Length { get; }

    /// <summary>
    /// The ETag the store gave this content when it was last committed, when the driver knows it
    /// (null otherwise), so the committer can later replace it by compare-and-swap without reading it first.
    /// </summary>
    public string? CommittedETag { get; internal set; }

    public abstract ValueTask DisposeAsync();
}
