using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>
/// The real Stricture.Replicator (Release build, <c>dotnet …dll</c>) on a data directory and a bucket,
/// with the settings an operator gives it in mirror mode. At start it runs a catch-up scan that
/// lists the whole local tree and the whole bucket; start-up is counted until that scan has logged
/// its summary (its one category is raised to Information for this), so it is reported on its own
/// and never lands in a measured phase. Both this and the verify command get the same settings.
/// </summary>
internal static class ReplicatorProcess
{
    private const string CatchUpLogged = "Catch-up scan: spooled";

    public static Dictionary<string, string> Settings(S3Bucket bucket) => new(bucket.MirrorSettings)
    {
        ["Logging__LogLevel__Stricture.Replicator.ReplicatorWorker"] = "Information",
    };

    public static async Task<(ServerProcess Replicator, TimeSpan Startup)> StartAsync(
        BenchOptions options, string dataDirectory, S3Bucket bucket, IReadOnlyList<int> storePids, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var replicator = await ServerProcess.StartAsync(
            options.ReplicatorDll, null, dataDirectory, TimeSpan.FromSeconds(30), Settings(bucket), storePids, HostShape.Replicator);
        try
        {
            await replicator.WaitForOutputAsync(CatchUpLogged, options.PhaseTimeout, cancellationToken);
        }
        catch
        {
            await replicator.DisposeAsync();
            throw;
        }
        return (replicator, clock.Elapsed);
    }
}
