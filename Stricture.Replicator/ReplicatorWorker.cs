using Microsoft.Extensions.Options;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;

namespace Stricture.Replicator;

/// <summary>
/// Drains the spool for as long as the process lives. An unreachable object store pauses it with a
/// bounded, jittered back-off (200 ms doubling to 30 s); it resumes by itself and the backlog drains.
/// At start and then every catch-up interval it also spools any local run the bucket lacks and the
/// spool does not hold: ingest spools a run before it answers 202, but a crash between storing a
/// payload and spooling it leaves an unacknowledged run on disk that a client posting without a
/// run_id never retries. Catch-up is what brings those to the bucket too.
/// </summary>
internal sealed partial class ReplicatorWorker(
    RecordReplicator replicator, MirrorVerifier verifier, ReplicationSpool spool, IOptions<ReplicatorOptions> options,
    TimeProvider time, ILogger<ReplicatorWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        var nextCatchUp = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextCatchUp)
                {
                    await CatchUpAsync(stoppingToken);
                    nextCatchUp = time.GetUtcNow() + options.Value.CatchUpInterval;
                }
                var finished = await replicator.DrainOnceAsync(stoppingToken);
                backoff = FirstBackoff;
                if (finished == 0)
                {
                    await Task.Delay(IdlePoll, time, stoppingToken);
                }
            }
            catch (ObjectStoreUnavailableException exception)
            {
                LogUnavailable(logger, exception, backoff.TotalSeconds);
                await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The data directory itself (the spool): retried like an outage, and loudly.
                LogLocalFailure(logger, exception);
                await Task.Delay(MaxBackoff, time, stoppingToken);
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var pending = await spool.PendingPayloadKeysAsync(cancellationToken);
        var spooled = 0;
        await foreach (var payloadKey in verifier.PayloadsMissingRemotelyAsync(cancellationToken))
        {
            if (!pending.Contains(payloadKey))
            {
                await spool.AppendAsync(payloadKey, cancellationToken);
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
