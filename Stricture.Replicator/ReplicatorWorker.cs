using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;
using Polly.Retry;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;

namespace Stricture.Replicator;

/// <summary>
/// Drains the spool for as long as the process lives. An unreachable object store pauses it with a
/// bounded, jittered back-off (<see cref="RetryPipeline"/>); it resumes by itself and the backlog drains.
/// At start and then every catch-up interval it also spools any local run the bucket lacks and the
/// spool does not hold: ingest spools a run before it answers 202, but a crash between storing a
/// record and spooling it leaves an unacknowledged run on disk that a client posting without a
/// run_id never retries. Catch-up is what brings those to the bucket too. An idle worker wakes when
/// an entry arrives (<see cref="SpoolArrivals"/>), and polls as a fallback.
/// </summary>
internal sealed partial class ReplicatorWorker(
    RecordReplicator replicator, MirrorVerifier verifier, ReplicationSpool spool, IOptions<ReplicatorOptions> options,
    ResiliencePipelineProvider<string> pipelines, TimeProvider time, ILogger<ReplicatorWorker> logger) : BackgroundService
{
    /// <summary>
    /// An unreachable object store: 200 ms doubling to 30 s, jittered, for as long as it lasts. The
    /// data directory itself (the spool) failing: retried too, at the longest interval, and loudly.
    /// </summary>
    public const string RetryPipeline = "replication";

    /// <summary>The fallback poll of an idle worker; an arriving entry wakes it at once (<see cref="SpoolArrivals"/>).</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public static void ConfigureRetry(ResiliencePipelineBuilder pipeline, AddResiliencePipelineContext<string> context)
    {
        var logger = context.ServiceProvider.GetRequiredService<ILogger<ReplicatorWorker>>();
        pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ObjectStoreUnavailableException>().Handle<IOException>().Handle<UnauthorizedAccessException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstBackoff,
            MaxDelay = MaxBackoff,
            MaxRetryAttempts = int.MaxValue,
            DelayGenerator = retry => new ValueTask<TimeSpan?>(retry.Outcome.Exception is ObjectStoreUnavailableException ? null : MaxBackoff),
            OnRetry = retry =>
            {
                if (retry.Outcome.Exception is ObjectStoreUnavailableException unavailable)
                {
                    LogUnavailable(logger, unavailable, retry.RetryDelay.TotalSeconds);
                }
                else
                {
                    LogLocalFailure(logger, retry.Outcome.Exception!);
                }
                return default;
            },
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pipeline = pipelines.GetPipeline(RetryPipeline);
        using var arrivals = new SpoolArrivals(spool.PendingDirectory);
        var nextCatchUp = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var finished = await pipeline.ExecuteAsync(async cancellationToken =>
            {
                if (time.GetUtcNow() >= nextCatchUp)
                {
                    await CatchUpAsync(cancellationToken);
                    nextCatchUp = time.GetUtcNow() + options.Value.CatchUpInterval;
                }
                // Passes back to back until the spool is empty or the next catch-up scan is due.
                return await replicator.DrainAsync(() => time.GetUtcNow() < nextCatchUp, cancellationToken);
            }, stoppingToken);
            if (finished == 0)
            {
                await arrivals.WaitAsync(IdlePoll, stoppingToken);
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var pending = await spool.PendingRunKeysAsync(cancellationToken);
        var spooled = 0;
        await foreach (var runKey in verifier.RunsMissingRemotelyAsync(cancellationToken))
        {
            if (!pending.Contains(runKey))
            {
                await spool.AppendAsync(runKey, cancellationToken);
                spooled++;
            }
        }
        LogCaughtUp(logger, spooled);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "The object store is unavailable; replication pauses for {Seconds} s")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "The spool in the data directory cannot be read or written; retrying")]
    private static partial void LogLocalFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Catch-up scan: spooled {Count} local runs the bucket lacked")]
    private static partial void LogCaughtUp(ILogger logger, int count);
}
