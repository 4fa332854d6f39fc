using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Stricture.Bench;

/// <summary>
/// The libc calls .NET does not expose: fsync(2) of a directory (so a renamed entry is durable,
/// which is what the server pays for every record), sync(2) between slices, sysconf(3) for the unit
/// of /proc CPU times, and kill(2) with SIGTERM (Process.Kill sends SIGKILL, which would skip the
/// server's graceful shutdown).
/// </summary>
internal static partial class Libc
{
    private const int O_RDONLY = 0;
    private const int EINTR = 4;
    private const int SIGTERM = 15;
    private const int SC_CLK_TCK = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void SyncNative();

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysconfNative(int name);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static void FsyncDirectory(string path)
    {
        var fd = OpenNative(path, O_RDONLY);
        if (fd < 0)
        {
            throw Error("open", path);
        }
        try
        {
            while (FsyncNative(fd) != 0)
            {
                if (Marshal.GetLastPInvokeError() != EINTR)
                {
                    throw Error("fsync", path);
                }
            }
        }
        finally
        {
            CloseNative(fd);
        }
    }

    /// <summary>The unit of CPU times in /proc (USER_HZ), from sysconf(_SC_CLK_TCK).</summary>
    public static readonly long ClockTicksPerSecond = SysconfNative(SC_CLK_TCK) is > 0 and var ticks ? ticks : 100;

    /// <summary>Flushes every filesystem's dirty data and metadata (sync(2)).</summary>
    public static void Sync() => SyncNative();

    /// <summary>Asks one process (by pid, one this program started) to shut down gracefully.</summary>
    public static void Terminate(int pid)
    {
        if (KillNative(pid, SIGTERM) != 0)
        {
            throw Error("kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static IOException Error(string call, string target)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} '{target}' failed: {new Win32Exception(errno).Message}", errno);
    }
}
