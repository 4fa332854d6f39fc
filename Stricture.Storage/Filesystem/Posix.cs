using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The POSIX calls .NET does not expose: renameat2(2) with RENAME_NOREPLACE, and link(2) where a
/// filesystem lacks it, for create-new without overwrite (a plain rename would replace an existing
/// record); renameat2(2) with RENAME_EXCHANGE for a replace that keeps the old file (see
/// <see cref="RecycledFiles"/>) and statx(2) for inode numbers; open(2)+fsync(2) on a directory so a
/// new directory entry survives a power loss; fdatasync(2) of the commit log; syncfs(2) for its checkpoint; flock(2) to tell a
/// live process's log from a dead one's; extended attributes.
/// </summary>
internal static partial class Posix
{
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int EINTR = 4;
    private const int ENODATA = 61;
    private const int ENOTSUP = 95;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;
    private const int EACCES = 13;
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int ENOTDIR = 20;
    private const int EPERM = 1;
    private const int EWOULDBLOCK = 11;
    private const int LOCK_SH = 1;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    private const int AT_FDCWD = -100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint RENAME_NOREPLACE = 1;
    private const uint RENAME_EXCHANGE = 2;
    private const uint STATX_TYPE = 0x1;
    private const uint STATX_INO = 0x100;
    private const uint STATX_SIZE = 0x200;
    private const int S_IFMT = 0xF000;
    private const int S_IFREG = 0x8000;

    // struct statx is the same on every architecture: 256 bytes, stx_ino (a __u64) at offset 32.
    private const int StatxSize = 256;
    private const int StatxMaskOffset = 0;
    private const int StatxModeOffset = 28;
    private const int StatxInoOffset = 32;
    private const int StatxSizeOffset = 40;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2Native(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdatasyncNative(SafeHandle fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncfsNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FlockNative(SafeHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FSetXattrNative(SafeHandle fd, string name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint FGetXattrNative(SafeHandle fd, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxNative(int directory, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxNative(SafeHandle file, string path, int flags, uint mask, byte[] buffer);

    /// <summary>
    /// The inode number of the file at <paramref name="path"/>: 0 when there is none (no inode has
    /// number 0), null when the kernel will not tell (no statx(2), or a sandbox that forbids it).
    /// </summary>
    public static ulong? InodeOf(string path)
    {
        var buffer = new byte[StatxSize];
        while (StatxNative(AT_FDCWD, path, 0, STATX_INO, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return 0;
            }
            if (errno is ENOSYS or EPERM)
            {
                return null;
            }
            if (errno != EINTR)
            {
                throw new IOException($"statx '{path}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
        return BitConverter.ToUInt64(buffer, StatxInoOffset);
    }

    /// <summary>
    /// Opens a file for reading with open(2) alone, without the advisory lock (flock) and the stat
    /// that FileStream and File.OpenHandle add to every open; null when the path, or a directory on
    /// it, does not exist.
    /// </summary>
    public static SafeFileHandle? TryOpenForReading(string path)
    {
        while (true)
        {
            var fd = OpenNative(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return null;
            }
            if (errno == EACCES)
            {
                throw new UnauthorizedAccessException($"open '{path}' failed: {new Win32Exception(errno).Message}");
            }
            if (errno != EINTR)
            {
                throw new IOException($"open '{path}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }

    /// <summary>An open file's kind, size and inode number (one statx(2)); null when the kernel will not tell.</summary>
    public static OpenFileStatus? StatusOf(SafeHandle file)
    {
        var buffer = new byte[StatxSize];
        while (StatxNative(file, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO | STATX_SIZE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOSYS or EPERM)
            {
                return null;
            }
            if (errno != EINTR)
            {
                throw new IOException($"statx of an open file failed: {new Win32Exception(errno).Message}", errno);
            }
        }
        const uint wanted = STATX_TYPE | STATX_INO | STATX_SIZE;
        if ((BitConverter.ToUInt32(buffer, StatxMaskOffset) & wanted) != wanted)
        {
            return null;
        }
        return new OpenFileStatus(
            (BitConverter.ToUInt16(buffer, StatxModeOffset) & S_IFMT) == S_IFREG,
            checked((long)BitConverter.ToUInt64(buffer, StatxSizeOffset)),
            BitConverter.ToUInt64(buffer, StatxInoOffset));
    }

    /// <summary>Sets an extended attribute on an open file.</summary>
    /// <returns>false when the filesystem does not support user extended attributes.</returns>
    public static bool TrySetAttribute(SafeHandle file, string name, byte[] value)
    {
        if (FSetXattrNative(file, name, value, (nuint)value.Length, 0) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == ENOTSUP ? false : throw new IOException($"fsetxattr {name} failed: {new Win32Exception(errno).Message}", errno);
    }

    /// <summary>
    /// Reads an extended attribute of an open file into <paramref name="value"/>; its length, or -1 when
    /// the file has none (or the filesystem has no xattrs). One longer than the buffer is an error.
    /// </summary>
    public static int ReadAttribute(SafeHandle file, string name, Span<byte> value)
    {
        var length = FGetXattrNative(file, name, value, (nuint)value.Length);
        if (length >= 0)
        {
            return (int)length;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno is ENODATA or ENOTSUP ? -1 : throw new IOException($"fgetxattr {name} failed: {new Win32Exception(errno).Message}", errno);
    }

    /// <summary>Creates <paramref name="newPath"/> as a second name of <paramref name="existingPath"/>.</summary>
    /// <returns>false when <paramref name="newPath"/> already exists; nothing is replaced.</returns>
    public static bool TryLink(string existingPath, string newPath)
    {
        while (true)
        {
            if (LinkNative(existingPath, newPath) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST)
            {
                return false;
            }
            if (errno == ENOENT)
            {
                throw new DirectoryNotFoundException($"link '{newPath}' failed: {new Win32Exception(errno).Message}");
            }
            if (errno != EINTR)
            {
                throw new IOException($"link '{newPath}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="existingPath"/> to <paramref name="newPath"/> unless that exists
    /// (renameat2's RENAME_NOREPLACE): one call where a link and an unlink of the old name take two.
    /// </summary>
    /// <returns>
    /// true when moved; false when <paramref name="newPath"/> already exists (nothing changed); null
    /// when the filesystem (or the kernel) cannot rename without replacing (nothing changed).
    /// </returns>
    public static bool? TryMoveNoReplace(string existingPath, string newPath)
    {
        while (true)
        {
            if (RenameAt2Native(AT_FDCWD, existingPath, AT_FDCWD, newPath, RENAME_NOREPLACE) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST)
            {
                return false;
            }
            if (errno is EINVAL or ENOSYS or ENOTSUP)
            {
                return null;
            }
            if (errno == ENOENT)
            {
                throw new DirectoryNotFoundException($"renameat2 '{newPath}' failed: {new Win32Exception(errno).Message}");
            }
            if (errno != EINTR)
            {
                throw new IOException($"renameat2 '{existingPath}' -> '{newPath}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }

    /// <summary>
    /// Swaps the files at two existing paths in one atomic step: a reader of either path sees one file
    /// or the other, never none.
    /// </summary>
    /// <returns>false when the filesystem (or the kernel) cannot exchange; nothing changed.</returns>
    public static bool TryExchange(string path, string otherPath)
    {
        while (true)
        {
            if (RenameAt2Native(AT_FDCWD, path, AT_FDCWD, otherPath, RENAME_EXCHANGE) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno is EINVAL or ENOSYS or ENOTSUP)
            {
                return false;
            }
            if (errno != EINTR)
            {
                throw new IOException($"renameat2 '{path}' <-> '{otherPath}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }

    /// <summary>
    /// Takes a shared advisory lock (flock) on an open file, held until the file is closed (or its
    /// process dies): marks the file as in use (<see cref="IsUnlocked"/>). False where the filesystem
    /// keeps no such locks; the file is then simply not marked.
    /// </summary>
    public static bool HoldShared(SafeHandle file)
    {
        while (FlockNative(file, LOCK_SH) != 0)
        {
            if (Marshal.GetLastPInvokeError() != EINTR)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="path"/> exists and no open file holds an advisory lock on it (a holder
    /// is alive: the kernel drops a dead process's locks): an exclusive lock, tried without blocking,
    /// succeeds. True where the filesystem keeps no locks.
    /// </summary>
    public static bool IsUnlocked(string path)
    {
        using var file = TryOpenForReading(path);
        if (file is null)
        {
            return false;
        }
        while (FlockNative(file, LOCK_EX | LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                // EWOULDBLOCK: another holds a lock. Anything else: the filesystem keeps no locks, so none can be held.
                return errno != EWOULDBLOCK;
            }
        }
        // Closing the file releases the lock just taken.
        return true;
    }

    /// <summary>Flushes a directory's entries to stable storage.</summary>
    public static void FsyncDirectory(string path) => WithOpenPath(path, "fsync", FsyncNative);

    /// <summary>Flushes a file's data (and the size needed to read it back) to stable storage.</summary>
    public static void Fdatasync(SafeHandle file) => RetryInterrupted(() => FdatasyncNative(file), "fdatasync");

    /// <summary>Flushes every dirty file and directory of the filesystem holding <paramref name="path"/>.</summary>
    public static void Syncfs(string path) => WithOpenPath(path, "syncfs", SyncfsNative);

    private static void WithOpenPath(string path, string operation, Func<int, int> call)
    {
        var fd = OpenNative(path, O_RDONLY);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open '{path}' for {operation} failed: {new Win32Exception(errno).Message}", errno);
        }
        try
        {
            RetryInterrupted(() => call(fd), $"{operation} '{path}'");
        }
        finally
        {
            CloseNative(fd);
        }
    }

    /// <summary>Makes a call that returns 0 on success, again while a signal interrupts it (EINTR); any other failure is an <see cref="IOException"/>.</summary>
    private static void RetryInterrupted(Func<int> call, string operation)
    {
        while (call() != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new IOException($"{operation} failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }
}

/// <summary>What statx(2) says of an open file: whether it is a regular file, its size and its inode number.</summary>
internal readonly record struct OpenFileStatus(bool IsRegularFile, long Size, ulong Inode);
