using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>
/// Where CPU went during one slice. Machine figures are shares of all cores. Kernel threads (block-layer
/// and filesystem workers) do part of the fsync work and are counted apart, as is a local S3 server's
/// CPU (<see cref="StoreCpu"/>, zero on the filesystem driver); what is left is other processes on a
/// shared machine, so contention from elsewhere shows up instead of hiding in the numbers.
/// <see cref="ServerJit"/> is the part of the server's CPU its tiered compiler spent recompiling
/// (<see cref="TieredCompilerCpu"/>): near zero once the server is warm.
/// </summary>
internal sealed record CpuUsage(
    TimeSpan Elapsed, double BusyPercent, double IoWaitPercent, double StealPercent, double InterruptPercent,
    TimeSpan BenchCpu, TimeSpan ServerUser, TimeSpan ServerSystem, TimeSpan KernelThreads, TimeSpan StoreCpu = default,
    TimeSpan ServerJit = default)
{
    /// <summary>Hard and soft interrupt time (loopback TCP is processed largely in softirq), charged to no process.</summary>
    public TimeSpan Interrupts => Elapsed * (Environment.ProcessorCount * InterruptPercent / 100);

    public TimeSpan ServerCpu => ServerUser + ServerSystem;

    /// <summary>A phase in which the server's tiered compiler took at most this share of the time measured it warm.</summary>
    public const double QuietJitShare = 0.02;

    /// <summary>Whether the server's tiered compiler was quiet (<see cref="QuietJitShare"/>) in this phase.</summary>
    public bool ServerJitQuiet => ServerJit <= Elapsed * QuietJitShare;

    public TimeSpan MachineBusy => Elapsed * (Environment.ProcessorCount * BusyPercent / 100);

    /// <summary>Busy time nothing above accounts for: other processes on the machine.</summary>
    public TimeSpan OtherProcesses =>
        MachineBusy - BenchCpu - ServerCpu - KernelThreads - Interrupts - StoreCpu is { Ticks: > 0 } other ? other : TimeSpan.Zero;

    public static CpuUsage Sum(IEnumerable<CpuUsage> slices)
    {
        var list = slices.ToList();
        var elapsed = new TimeSpan(list.Sum(s => s.Elapsed.Ticks));
        double Weighted(Func<CpuUsage, double> percent) =>
            elapsed.Ticks == 0 ? 0 : list.Sum(s => percent(s) * s.Elapsed.Ticks) / elapsed.Ticks;
        return new CpuUsage(elapsed, Weighted(s => s.BusyPercent), Weighted(s => s.IoWaitPercent), Weighted(s => s.StealPercent), Weighted(s => s.InterruptPercent),
            new TimeSpan(list.Sum(s => s.BenchCpu.Ticks)), new TimeSpan(list.Sum(s => s.ServerUser.Ticks)),
            new TimeSpan(list.Sum(s => s.ServerSystem.Ticks)), new TimeSpan(list.Sum(s => s.KernelThreads.Ticks)),
            new TimeSpan(list.Sum(s => s.StoreCpu.Ticks)), new TimeSpan(list.Sum(s => s.ServerJit.Ticks)));
    }
}

/// <summary>
/// Measures a slice's CPU from /proc/stat (all cores) and the processes' own CPU time, so the report
/// can say whether the 2 cores were saturated, and how much of it was the server (user code vs
/// kernel work such as fsync) rather than the load generator.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long[] _machineStart = ReadMachine();
    private readonly TimeSpan _benchStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly ServerProcess? _server;
    private readonly (TimeSpan User, TimeSpan System) _serverStart;
    private readonly TimeSpan _kernelStart = KernelThreadsCpu();
    private readonly TimeSpan _storeStart;
    private readonly TieredCompilerCpu? _serverJit;

    public CpuMeter(ServerProcess? server)
    {
        _server = server;
        _serverStart = server?.CpuTimes ?? default;
        _storeStart = ProcessesCpu(server?.StorePids ?? []);
        _serverJit = server is null ? null : new TieredCompilerCpu(server.Pid);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public CpuUsage Stop()
    {
        var elapsed = _clock.Elapsed;
        var delta = ReadMachine().Zip(_machineStart, (a, b) => a - b).ToArray();
        // /proc/stat cpu line: user nice system idle iowait irq softirq steal (guest time is inside user).
        var total = Math.Max(1.0, delta.Sum());
        var busy = delta[0] + delta[1] + delta[2] + delta[5] + delta[6];
        var server = _server?.CpuTimes ?? default;
        var serverJit = _serverJit?.Stop() ?? TimeSpan.Zero;
        return new CpuUsage(elapsed, 100 * busy / total, 100 * delta[4] / total, 100 * delta[7] / total, 100 * (delta[5] + delta[6]) / total,
            Process.GetCurrentProcess().TotalProcessorTime - _benchStart,
            server.User - _serverStart.User, server.System - _serverStart.System, KernelThreadsCpu() - _kernelStart,
            // Never negative: a store process that exits mid-slice (restarted by someone else) drops out of the sum.
            ProcessesCpu(_server?.StorePids ?? []) - _storeStart is { Ticks: > 0 } store ? store : TimeSpan.Zero,
            serverJit);
    }

    /// <summary>CPU time (all threads, user + system) of the given processes; one that is gone counts zero.</summary>
    private static TimeSpan ProcessesCpu(IReadOnlyList<int> pids)
    {
        long ticks = 0;
        foreach (var pid in pids)
        {
            if (ReadStat(pid) is { } fields)
            {
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
        }
        return TimeSpan.FromSeconds((double)ticks / Libc.ClockTicksPerSecond);
    }

    /// <summary>CPU time of all kernel threads (children of kthreadd, pid 2); they never exit, so deltas are exact.</summary>
    private static TimeSpan KernelThreadsCpu()
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            // Null when it exited while listing.
            if (ReadStat(pid) is { } fields && (pid == 2 || fields[1] == "2"))
            {
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
        }
        return TimeSpan.FromSeconds((double)ticks / Libc.ClockTicksPerSecond);
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name, or null if the process is gone.</summary>
    private static string[]? ReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name may hold spaces and ')'; the fields after its last ')' are: state ppid ... utime(12) stime(13).
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long[] ReadMachine()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToList();
        while (values.Count < 8)
        {
            values.Add(0);
        }
        return [.. values.Take(8)];
    }
}
