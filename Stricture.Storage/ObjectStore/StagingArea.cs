using Microsoft.Win32.SafeHandles;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The one way content is staged, for every driver: hashed while it is written, kept in memory when
/// small (<see cref="SpillingContent"/>), else written to a temp file in a folder that no key reaches,
/// never held whole in memory (a payload can be 10 MB). A driver decides whether small content needs
/// a temp file too (the filesystem links one into place; an upload does not), what else a staged
/// file needs (the filesystem driver records its hash on it), and how a commit makes it visible. A
/// staged file is not fsynced here: the filesystem driver makes content durable when it commits it
/// (<see cref="Filesystem.CommitLog"/>) and an upload is durable when the PUT succeeds.
/// </summary>
public sealed class StagingArea
{
    private const string TempSuffix = ".tmp";

    // Temp files are spread over this many subfolders (by the first hex digit of their random name):
    // creating and removing a name takes its folder's lock in the kernel, and one folder shared by
    // every concurrent post made that lock the busiest thing in the process.
    private const int Shards = 16;

    private readonly bool _smallContentInFiles;
    private readonly Filesystem.RecycledFiles? _recycled;

    /// <param name="directory">The folder for temp files.</param>
    /// <param name="smallContentInFiles">Whether content small enough to stay in memory gets a temp file too.</param>
    public StagingArea(string directory, bool smallContentInFiles)
        : this(directory, smallContentInFiles, recycled: null)
    {
    }

    /// <param name="directory">The folder for temp files.</param>
    /// <param name="smallContentInFiles">Whether content small enough to stay in memory gets a temp file too.</param>
    /// <param name="recycled">Temp files to rewrite instead of creating new ones, and where discarded ones go (the filesystem driver's).</param>
    internal StagingArea(string directory, bool smallContentInFiles, Filesystem.RecycledFiles? recycled)
    {
        Directory = directory;
        _smallContentInFiles = smallContentInFiles;
        _recycled = recycled;
        for (var shard = 0; shard < Shards; shard++)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, shard.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public string Directory { get; }

    /// <summary>
    /// Stages content; <paramref name="sealFile"/>, when given, is called with the open temp file and
    /// its SHA-256 once every byte is written (when there is a temp file).
    /// </summary>
    public async Task<StagedObject> StageAsync(
        Func<Stream, CancellationToken, Task> writeContent, Action<SafeFileHandle, string>? sealFile, CancellationToken cancellationToken)
    {
        var recycledPath = _recycled?.Take();
        var path = recycledPath ?? NewTempPath();
        try
        {
            using var content = new SpillingContent(path, overwrite: recycledPath is not null);
            string sha256;
            long length;
            using (var hashing = new HashingWriteStream(content))
            {
                await writeContent(hashing, cancellationToken);
                await hashing.FlushAsync(cancellationToken);
                sha256 = hashing.FinishSha256();
                length = hashing.BytesWritten;
            }
            if (content.Spilled)
            {
                sealFile?.Invoke(content.WriteFile(), sha256);
                return new StagedObject(path, sha256, length, content: null, _recycled);
            }
            if (_smallContentInFiles)
            {
                var file = content.WriteFile();
                sealFile?.Invoke(file, sha256);
                return new StagedObject(path, sha256, length, content.Memory, _recycled);
            }
            return new StagedObject(path: null, sha256, length, content.Memory, recycled: null);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private string NewTempPath()
    {
        var name = Guid.NewGuid().ToString("N");
        return Path.Combine(Directory, name[..1], name + TempSuffix);
    }

    /// <summary>Deletes every temp file; only while nothing stages here (a crashed process's leftovers).</summary>
    public int RemoveAll()
    {
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }
}
