using Microsoft.Extensions.Options;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// The server's delivery loop: a pass at start (deliveries a previous process left), then one on
/// every enqueue of this process and at least every poll interval (retries coming due, deliveries
/// other replicas enqueued). A store that cannot be reached is tried again on the next poll; the
/// outbox keeps everything meanwhile. Off with STRICTURE_SERVER_WEBHOOK_DISPATCH=false, and when no webhook is configured.
/// </summary>
internal sealed partial class WebhookDispatchService(
    WebhookDispatcher dispatcher, DispatchSignal signal, IOptions<WebhookOptions> options, ILogger<WebhookDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Dispatch || options.Value.Webhooks.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.RunPassAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is ObjectStoreUnavailableException or IOException)
            {
                LogStoreUnavailable(logger, exception);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Keep delivering (an unhandled exception would stop the host): log it and try again on the next poll.
                LogPassFailed(logger, exception);
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook outbox could not be read; trying again on the next poll")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook dispatch pass failed; trying again on the next poll")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
