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

    public abstract ValueTask DisposeAsync();
}
