using Microsoft.Win32.SafeHandles;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The one way content is staged, for every driver: written as a temp file in a folder that no key
/// reaches, hashed while it is written, never held whole in memory (a payload can be 10 MB). A
/// driver decides what else a staged file needs (the filesystem driver records its hash on it) and
/// how a commit makes it visible (a link, an upload). A staged file is not fsynced here: the
/// filesystem driver makes content durable when it commits it (<see cref="Filesystem.CommitLog"/>)
/// and an upload is durable when the PUT succeeds.
/// </summary>
public sealed class StagingArea
{
    private const string TempSuffix = ".tmp";

    public StagingArea(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// Writes content to a new temp file; <paramref name="sealFile"/>, when given, is called with the
    /// open file and its SHA-256 once every byte is written.
    /// </summary>
    public async Task<StagedObject> StageAsync(
        Func<Stream, CancellationToken, Task> writeContent, Action<SafeFileHandle, string>? sealFile, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, Guid.NewGuid().ToString("N") + TempSuffix);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
            await using var hashing = new HashingWriteStream(file);
            await writeContent(hashing, cancellationToken);
            await hashing.FlushAsync(cancellationToken);
            var sha256 = hashing.FinishSha256();
            sealFile?.Invoke(file.SafeFileHandle, sha256);
            return new StagedObject(path, sha256, hashing.BytesWritten);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Deletes every temp file; only while nothing stages here (a crashed process's leftovers).</summary>
    public int RemoveAll()
    {
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }
}
