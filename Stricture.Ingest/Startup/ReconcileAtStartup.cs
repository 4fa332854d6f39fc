using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;
using Polly.Retry;
using Stricture.Storage.Catalog;
using Stricture.Storage.Configuration;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Startup;

/// <summary>
/// Reconciles the catalog with the payloads once the server has started, in the background: a
/// crash between a payload's write and its catalog update leaves a run that queries miss until
/// this (or a retry of that post) adds it. Ingest does not wait for it. An unreachable store is
/// retried with a growing delay (<see cref="RetryPipeline"/>); STRICTURE_SERVER_RECONCILE_ON_START=false turns it off.
/// </summary>
internal sealed partial class ReconcileAtStartup(
    CatalogReconciler reconciler, IOptions<StorageOptions> options, ResiliencePipelineProvider<string> pipelines,
    ILogger<ReconcileAtStartup> logger) : BackgroundService
{
    /// <summary>Retries an unreachable store from 5 s, doubling to 5 minutes, until the server stops.</summary>
    public const string RetryPipeline = "reconcile-at-startup";

    public static void ConfigureRetry(ResiliencePipelineBuilder pipeline, AddResiliencePipelineContext<string> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<ReconcileAtStartup>>();
        pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ObjectStoreUnavailableException>().Handle<IOException>(),
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromSeconds(5),
            MaxDelay = TimeSpan.FromMinutes(5),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = retry =>
            {
                LogRetrying(logger, retry.Outcome.Exception!, retry.RetryDelay.TotalSeconds);
                return default;
            },
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReconcileOnStart)
        {
            return;
        }
        try
        {
            await pipelines.GetPipeline(RetryPipeline).ExecuteAsync(
                async cancellationToken => await reconciler.ReconcileAsync(cancellationToken), stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not transient: say so and keep serving (an unhandled exception here would stop the host).
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling the catalog failed; run the reconcile command once the cause is fixed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling the catalog failed; retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception exception, double seconds);
}
