namespace Stricture.Storage.ObjectStore;

/// <summary>
/// Content written by <see cref="IObjectStore.StageAsync"/> into a <see cref="StagingArea"/>: hashed,
/// in memory when small, in a temp file when large or when the driver wants one, invisible at any
/// key until committed. Every driver stages the same way, so a commit
/// needs nothing but this. Disposing it discards whatever was not committed.
/// </summary>
public sealed class StagedObject : IAsyncDisposable
{
    internal StagedObject(string? path, string sha256, long length, ReadOnlyMemory<byte>? content)
    {
        Path = path;
        Sha256 = sha256;
        Length = length;
        Content = content;
    }

    /// <summary>The temp file holding the content (a driver links it into place or uploads it), when there is one.</summary>
    public string? Path { get; }

    /// <summary>The content itself, when it is small enough to be kept in memory (whether or not it also has a file).</summary>
    public ReadOnlyMemory<byte>? Content { get; }

    /// <summary>Lowercase hex SHA-256 of the staged bytes.</summary>
    public string Sha256 { get; }

    public long Length { get; }

    /// <summary>
    /// The ETag the store gave this content when it was last committed, when the driver knows it
    /// (null otherwise), so the committer can later replace it by compare-and-swap without reading it first.
    /// </summary>
    public string? CommittedETag { get; internal set; }

    // Set when a commit moved the temp file into place: there is nothing left to delete, and
    // deleting a name that is gone still takes the staging folder's lock.
    private bool _moved;

    /// <summary>Tells this object that a commit renamed its temp file away.</summary>
    internal void MarkMoved() => _moved = true;

    public ValueTask DisposeAsync()
    {
        if (Path is not null && !_moved)
        {
            File.Delete(Path);
        }
        return ValueTask.CompletedTask;
    }
}
