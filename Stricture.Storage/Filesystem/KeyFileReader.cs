using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// Reads of the file at a key for <see cref="FileSystemObjectStore"/>: open(2), one statx(2) of the
/// open file (kind, size, inode), pread(2) and fgetxattr(2) of the recorded SHA-256, on the caller's
/// thread. A read is a handful of system calls on the page cache, so it is not handed to another
/// thread through a FileStream (which also takes a shared flock and stats and seeks on every open).
/// </summary>
internal static class KeyFileReader
{
    /// <summary>
    /// Times a read of one key is made while what it read shows a recycled file (a file no longer at
    /// the key, bytes that end early or do not match their recorded hash) before a mismatch is an
    /// integrity failure. A recycled file waits seconds before it is rewritten, so in service one
    /// more read all but always suffices; the bound is for a reader stalled across several rewrites.
    /// </summary>
    private const int ReadAttempts = 16;

    /// <summary>
    /// The whole object at <paramref name="path"/>, null when there is none. <paramref name="checkStillAtKey"/>
    /// (where files are recycled) also checks that the file read is still the one at the path.
    /// </summary>
    public static StoredObject? Read(string key, string path, bool checkStillAtKey)
    {
        for (var attempt = 1; ; attempt++)
        {
            byte[] content;
            string? recorded;
            bool stillAtKey;
            // Bytes and recorded hash from one open file: a concurrent replace swaps a new file
            // in at the path, and must not pair the old bytes with the new hash.
            using (var file = Posix.TryOpenForReading(path))
            {
                if (file is null)
                {
                    return null;
                }
                var status = Posix.StatusOf(file);
                if (status is { IsRegularFile: false })
                {
                    return null; // a directory: keys below it, none at it
                }
                content = new byte[status?.Size ?? RandomAccess.GetLength(file)];
                if (!TryReadWhole(file, content))
                {
                    if (attempt < ReadAttempts)
                    {
                        continue; // a replaced file, recycled and truncated while it was read: read the key again
                    }
                    throw new EndOfStreamException($"'{key}' kept ending before its length under {ReadAttempts} reads.");
                }
                recorded = Sha256Attribute.Read(file);
                // Checked last: the file read is still the key's, so it was the key's all along (a
                // committed file never changes while it is at a key; one swapped out and recycled meanwhile is not).
                stillAtKey = !checkStillAtKey || status is not { } known || known.Inode == Posix.InodeOf(path);
            }
            if (!stillAtKey && attempt < ReadAttempts)
            {
                continue; // opened just before it was swapped out (and perhaps recycled): read the key again
            }
            var actual = Convert.ToHexStringLower(SHA256.HashData(content));
            if (recorded is not null && recorded != actual)
            {
                if (attempt < ReadAttempts)
                {
                    continue; // likewise, rewritten while it was read; damage stays damaged and fails below
                }
                throw new ObjectIntegrityException(key, recorded, actual);
            }
            // The ETag is the content's hash: exactly what compare-and-swap must compare.
            return new StoredObject(key, content, actual, actual);
        }
    }

    /// <summary>The object's size and recorded SHA-256 (computed where the filesystem keeps no extended attributes), null when there is none.</summary>
    public static ObjectInfo? Info(string key, string path)
    {
        using var file = Posix.TryOpenForReading(path);
        var status = file is null ? null : Posix.StatusOf(file);
        if (file is null || status is { IsRegularFile: false })
        {
            return null;
        }
        var length = status?.Size ?? RandomAccess.GetLength(file);
        var sha256 = Sha256Attribute.Read(file) ?? HashOf(file);
        return new ObjectInfo(key, length, sha256);
    }

    /// <summary>Fills <paramref name="content"/> from the start of the file; false when the file ends first.</summary>
    private static bool TryReadWhole(SafeFileHandle file, byte[] content)
    {
        var total = 0;
        while (total < content.Length)
        {
            var read = RandomAccess.Read(file, content.AsSpan(total), total);
            if (read == 0)
            {
                return false;
            }
            total += read;
        }
        return true;
    }

    private static string HashOf(SafeFileHandle file)
    {
        using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
