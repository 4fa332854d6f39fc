using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>One baseline slice; Latencies are per-operation Stopwatch ticks where the baseline records them (durable writes and raw PUTs do).</summary>
internal sealed record BaselineSlice(int Count, CpuUsage Cpu, long[]? Latencies = null)
{
    public double PerSecond => Count / Cpu.Elapsed.TotalSeconds;
}

/// <summary>
/// What the disk can do for the pattern every stored record needs, with no server in the way:
/// write a 4 KiB temp file, fsync it, rename it into place, fsync the directory. Ingest throughput
/// is reported as a ratio of this, measured in the same run on the same filesystem, so the ratio
/// says how much the server costs on top of durability itself, whatever the disk.
/// The server, idle while the baseline runs, is passed only so its CPU is measured, to show it stays idle.
/// Each write's latency is kept too: the disk's own tail under 16 writers, beside ingest's.
/// </summary>
internal sealed class DurableWriteBaseline(string workDirectory, BenchOptions options, ServerProcess server) : IBaseline
{
    public const int FileBytes = 4096;

    private static readonly byte[] Content = CreateContent();

    public string Operations => "durable writes";

    // Synchronous underneath (dedicated threads, see Run); the Task only fits the comparison's shape.
    public Task WarmUpAsync(int count, CancellationToken cancellationToken) => Task.FromResult(
        Run(Path.Combine(workDirectory, "baseline-warm-up"), 0, count, options.Concurrency, options.PhaseTimeout, server, cancellationToken));

    public Task<BaselineSlice> RunSliceAsync(int slice, int count, CancellationToken cancellationToken) => Task.FromResult(
        Run(Path.Combine(workDirectory, "baseline"), slice, count, options.Concurrency, options.PhaseTimeout, server, cancellationToken));

    private static BaselineSlice Run(
        string directory, int slice, int count, int workers, TimeSpan timeout, ServerProcess? server, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var next = -1;
        var done = 0;
        // Each write's time, start to directory fsync, by its index: a slot per write, no locking.
        var latencies = new long[count];
        Exception? failure = null;
        var clock = Stopwatch.StartNew();

        void Worker()
        {
            try
            {
                while (clock.Elapsed < timeout && !cancellationToken.IsCancellationRequested)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= count || Volatile.Read(ref failure) is not null)
                    {
                        return;
                    }
                    var started = Stopwatch.GetTimestamp();
                    var target = Path.Combine(directory, $"s{slice}-{index:D8}");
                    var temp = target + ".tmp";
                    using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                    {
                        file.Write(Content);
                        file.Flush(flushToDisk: true);
                    }
                    File.Move(temp, target);
                    Libc.FsyncDirectory(directory);
                    latencies[index] = Stopwatch.GetTimestamp() - started;
                    Interlocked.Increment(ref done);
                }
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, exception, null);
            }
        }

        // Dedicated threads, not pool tasks: the writes block in fsync, and a 2-core thread pool
        // would add threads slowly, measuring the pool's ramp-up instead of the disk.
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
        var meter = new CpuMeter(server);
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var cpu = meter.Stop();

        if (failure is not null)
        {
            throw new InvalidOperationException($"Baseline write failed: {failure.Message}", failure);
        }
        if (done != count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"Baseline did {done} of {count} writes within {timeout.TotalSeconds:0} s.");
        }
        return new BaselineSlice(done, cpu, latencies);
    }

    private static byte[] CreateContent()
    {
        var content = new byte[FileBytes];
        new Random(42).NextBytes(content);
        return content;
    }
}
