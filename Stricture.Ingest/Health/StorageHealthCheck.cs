using Microsoft.Extensions.Diagnostics.HealthChecks;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Health;

/// <summary>Readiness: the storage backend accepts a durable write right now.</summary>
internal sealed class StorageHealthCheck(IObjectStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await store.ProbeWritableAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The description stays generic: /health is unauthenticated.
            return HealthCheckResult.Unhealthy("Storage is not writable.", exception);
        }
    }
}
