using System.Security.Cryptography;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// Start-up recovery of the filesystem driver: what a crash left is restored from the commit log
/// (<see cref="CommitLog.Recover"/>) before anything reads, and leftover temp files are removed.
/// </summary>
public sealed partial class FileSystemObjectStore
{
    /// <summary>
    /// After a crash: restores from the commit log every file the crash lost or tore, then deletes
    /// temp files a crashed process left. Call only while no other process writes to this data
    /// directory (the ingest server holds <see cref="DataDirectoryLock"/> first), before anything reads.
    /// The exception is a shared folder (the mirror spool), where the logs of a live process are left
    /// to it; its temp files are still removed, which fails the commit it was staging.
    /// </summary>
    public StartupRecovery Recover()
    {
        var restored = _log.Recover(HoldsContent, RestoreDurably);
        return new StartupRecovery(restored, _staging.RemoveAll());
    }

    /// <summary>Whether the file at <paramref name="key"/> holds exactly the content with this SHA-256 (its bytes, not its recorded hash).</summary>
    private bool HoldsContent(string key, string sha256)
    {
        try
        {
            using var file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            return Convert.ToHexStringLower(SHA256.HashData(file)) == sha256;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Rewrites a key from the log: temp file fsynced, every directory on the way fsynced, renamed into place, fsynced.</summary>
    private void RestoreDurably(string key, byte[] content)
    {
        var target = PathOf(key);
        var temp = Path.Combine(_staging.Directory, Guid.NewGuid().ToString("N") + ".restore");
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            Sha256Attribute.TryWrite(file.SafeFileHandle, Convert.ToHexStringLower(SHA256.HashData(content)));
            file.Flush(flushToDisk: true);
        }
        EnsureDirectoryDurably(Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
        Posix.FsyncDirectory(Path.GetDirectoryName(target)!);
    }

    private void EnsureDirectoryDurably(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        var parent = Path.GetDirectoryName(directory)!;
        EnsureDirectoryDurably(parent);
        Directory.CreateDirectory(directory);
        Posix.FsyncDirectory(parent);
    }
}
