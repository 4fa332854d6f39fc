namespace Stricture.Bench;

/// <summary>
/// CPU a .NET process spends in its tiered compiler's background worker (the thread named
/// ".NET Tiered Compilation", 15 characters of it in /proc), i.e. recompiling hot methods at higher
/// tiers. A phase in which it is busy is measuring a process still warming up, not its steady state.
///
/// The worker exits after about 4 s with nothing to compile and a new one starts when work comes, so
/// its threads are sampled every <see cref="Interval"/>: a thread that exits has been idle since at
/// least the previous sample, which therefore holds all of its time.
/// </summary>
internal sealed class TieredCompilerCpu : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private const string ThreadName = ".NET Tiered Com";

    private readonly int _pid;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (long First, long Last)> _threads = [];
    private readonly Timer _timer;

    public TieredCompilerCpu(int pid)
    {
        _pid = pid;
        // Threads present at the start count from their time now; later ones from zero.
        foreach (var (tid, ticks) in ReadThreads())
        {
            _threads[tid] = (ticks, ticks);
        }
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    /// <summary>Stops sampling and returns the compiler's CPU time since construction.</summary>
    public TimeSpan Stop()
    {
        _timer.Dispose();
        Sample();
        lock (_gate)
        {
            var ticks = _threads.Values.Sum(thread => thread.Last - thread.First);
            return TimeSpan.FromSeconds((double)ticks / Libc.ClockTicksPerSecond);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = ReadThreads();
        lock (_gate)
        {
            foreach (var (tid, ticks) in now)
            {
                _threads[tid] = _threads.TryGetValue(tid, out var known) ? (known.First, ticks) : (0, ticks);
            }
        }
    }

    /// <summary>The tiered compiler threads of the process and their CPU ticks (user + system); none when the process is gone.</summary>
    private List<(int Tid, long Ticks)> ReadThreads()
    {
        var found = new List<(int, long)>();
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"/proc/{_pid}/task").ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return found;
        }
        foreach (var task in tasks)
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ThreadName)
                {
                    continue;
                }
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // After the command name's last ')': state(0) ... utime(11) stime(12).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                found.Add((int.Parse(Path.GetFileName(task)), long.Parse(fields[11]) + long.Parse(fields[12])));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The thread exited while listing: it was idle, and the last sample holds its time.
            }
        }
        return found;
    }
}
