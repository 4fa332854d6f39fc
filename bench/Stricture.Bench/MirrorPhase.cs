namespace Stricture.Bench;

/// <summary>
/// One measured phase of the mirror throughput comparison: how many records it finished, where the
/// CPU went meanwhile, and the S3 requests the gateway served (null without its admin socket).
/// </summary>
internal sealed record MirrorPhase(int Records, CpuUsage Cpu, RgwCounters? Requests)
{
    public double PerSecond => Records / Cpu.Elapsed.TotalSeconds;

    public static MirrorPhase Sum(IEnumerable<MirrorPhase> phases)
    {
        var list = phases.ToList();
        var requests = list.All(p => p.Requests is not null) ? list.Aggregate(RgwCounters.Zero, (sum, p) => sum + p.Requests!) : null;
        return new MirrorPhase(list.Sum(p => p.Records), CpuUsage.Sum(list.Select(p => p.Cpu)), requests);
    }
}
