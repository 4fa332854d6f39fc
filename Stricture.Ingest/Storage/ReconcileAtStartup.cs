using Microsoft.Extensions.Options;
using Stricture.Storage.Catalog;
using Stricture.Storage.Configuration;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Storage;

/// <summary>
/// Reconciles the catalog with the payloads once the server has started, in the background: a
/// crash between a payload's write and its catalog update leaves a run that queries miss until
/// this (or a retry of that post) adds it. Ingest does not wait for it. An unreachable store is
/// retried with a growing delay; STRICTURE_SERVER_RECONCILE_ON_START=false turns it off.
/// </summary>
internal sealed partial class ReconcileAtStartup(
    CatalogReconciler reconciler, IOptions<StorageOptions> options, ILogger<ReconcileAtStartup> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReconcileOnStart)
        {
            return;
        }
        var delay = TimeSpan.FromSeconds(5);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await reconciler.ReconcileAsync(stoppingToken);
                return;
            }
            catch (Exception exception) when (exception is ObjectStoreUnavailableException or IOException)
            {
                LogRetrying(logger, exception, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Not transient: say so and keep serving (an unhandled exception here would stop the host).
                LogFailed(logger, exception);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling the catalog failed; run the reconcile command once the cause is fixed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling the catalog failed; retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception exception, double seconds);
}
