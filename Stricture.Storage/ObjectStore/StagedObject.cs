namespace Stricture.Storage.ObjectStore;

/// <summary>
/// Content written by <see cref="IObjectStore.StageAsync"/> into a <see cref="StagingArea"/>: hashed,
/// in memory when small, in a temp file when large or when the driver wants one, invisible at any
/// key until committed. Every driver stages the same way, so a commit
/// needs nothing but this. Disposing it discards whatever was not committed.
/// </summary>
public sealed class StagedObject : IAsyncDisposable
{
    private readonly Filesystem.RecycledFiles? _recycled;

    internal StagedObject(string? path, string sha256, long length, ReadOnlyMemory<byte>? content, Filesystem.RecycledFiles? recycled)
    {
        Path = path;
        Sha256 = sha256;
        Length = length;
        Content = content;
        _recycled = recycled;
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

    // What commits did with the temp file, which decides what disposing does with it.
    private FileFate _fate;

    /// <summary>Whether a commit took the temp file away (renamed it, or swapped it with the key's old file): it can be committed no more.</summary>
    internal bool Moved => _fate == FileFate.Moved;

    /// <summary>Tells this object that a commit renamed its temp file away (or swapped it out and recycled what came back).</summary>
    internal void MarkMoved() => _fate = FileFate.Moved;

    /// <summary>
    /// Tells this object that a commit linked its temp file at a key: the file is now that object, so
    /// disposing only removes the temp name and never recycles the file.
    /// </summary>
    internal void MarkLinked()
    {
        if (_fate == FileFate.Unused)
        {
            _fate = FileFate.Linked;
        }
    }

    /// <summary>
    /// Discards the temp file: a file no commit took goes to the driver's recycled files (when it has
    /// them; else it is deleted); a file linked at a key loses its temp name only; a moved one is gone.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (Path is null || _fate == FileFate.Moved)
        {
            return ValueTask.CompletedTask;
        }
        if (_fate == FileFate.Unused && _recycled is not null)
        {
            _recycled.Return(Path, Length);
        }
        else
        {
            File.Delete(Path);
        }
        _fate = FileFate.Moved;
        return ValueTask.CompletedTask;
    }

    private enum FileFate
    {
        Unused,
        Linked,
        Moved,
    }
}
