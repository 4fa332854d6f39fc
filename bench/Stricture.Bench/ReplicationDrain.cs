namespace Stricture.Bench;

/// <summary>
/// The measured side of the mirror comparison: the real replicator process copying a slice of the
/// seeded runs. The clock starts as the slice's spool entries are moved into the pending folder and
/// stops when that folder is empty, which is when the replicator has copied, verified and merged
/// every run of the slice into the catalog and retired its entry. It includes the time the idle
/// replicator takes to notice the entries (it watches the pending folder, and polls every 200 ms).
/// </summary>
internal sealed class ReplicationDrain(SpooledRuns spooled, SpoolFolder spool, ServerProcess replicator, S3TestServer store, TimeSpan timeout)
{
    /// <summary>
    /// How often the benchmark looks whether the pending folder is empty: at most 0.3% of a slice of
    /// ten seconds or more, and rare enough (every 5 ms cost this process 9% of a core) not to take
    /// CPU from the replicator and the S3 server on a machine they keep busy.
    /// </summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    public async Task<MirrorPhase> RunAsync(IReadOnlyList<SpooledRun> runs, CancellationToken cancellationToken)
    {
        var before = RgwCounters.Read(store.AdminSocket);
        var meter = new CpuMeter(replicator);
        spooled.Release(runs);
        while (!spool.IsEmpty)
        {
            if (replicator.HasExited)
            {
                throw new InvalidOperationException($"The replicator exited while draining:\n{replicator.OutputTail()}");
            }
            if (meter.Elapsed > timeout)
            {
                throw new TimeoutException($"The replicator did not drain {runs.Count} runs within {timeout.TotalSeconds:0} s " +
                                           $"({spool.Sample(meter.Elapsed).Backlog} pending):\n{replicator.OutputTail()}");
            }
            await Task.Delay(Poll, cancellationToken);
        }
        var cpu = meter.Stop();
        var after = RgwCounters.Read(store.AdminSocket);
        return new MirrorPhase(runs.Count, cpu, before is not null && after is not null ? after - before : null);
    }
}
