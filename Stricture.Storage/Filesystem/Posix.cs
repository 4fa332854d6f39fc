using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The three POSIX calls .NET does not expose: link(2) for create-new without overwrite (rename
/// would replace an existing record), and open(2)+fsync(2) on a directory so a new directory entry
/// survives a power loss.
/// </summary>
internal static partial class Posix
{
    private const int EEXIST = 17;
    private const int EINTR = 4;
    private const int O_RDONLY = 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

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
            if (errno != EINTR)
            {
                throw new IOException($"link '{newPath}' failed: {new Win32Exception(errno).Message}", errno);
            }
        }
    }

    /// <summary>Flushes a directory's entries to stable storage.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = OpenNative(path, O_RDONLY);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open directory '{path}' failed: {new Win32Exception(errno).Message}", errno);
        }
        try
        {
            while (FsyncNative(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new IOException($"fsync directory '{path}' failed: {new Win32Exception(errno).Message}", errno);
                }
            }
        }
        finally
        {
            CloseNative(fd);
        }
    }
}
