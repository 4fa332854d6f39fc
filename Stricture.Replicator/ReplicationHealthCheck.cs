using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Stricture.Storage.Mirror;

namespace Stricture.Replicator;

/// <summary>
/// Readiness of the replicator: Degraded when the oldest spooled run has waited longer than
/// STRICTURE_REPLICATOR_MAX_LAG_SECONDS (the object store is down or too slow), with the backlog
/// and lag in the result's data for the dashboard. Degraded still answers 200: the process is fine
/// and restarting it would not help.
/// </summary>
internal sealed class ReplicationHealthCheck(ReplicationSpool spool, IOptions<ReplicatorOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (backlog, oldest) = spool.Backlog(); // one listing for both numbers
        var lag = TimeSpan.FromSeconds(ReplicationTelemetry.LagSeconds(oldest, time));
        var data = new Dictionary<string, object> { ["backlog"] = backlog, ["lag_seconds"] = Math.Round(lag.TotalSeconds, 1) };
        return Task.FromResult(lag > options.Value.MaxLag
            ? HealthCheckResult.Degraded($"Replication lag is {lag.TotalSeconds:F0} s, over {options.Value.MaxLag.TotalSeconds:F0} s.", data: data)
            : HealthCheckResult.Healthy("Replication is keeping up.", data));
    }
}
