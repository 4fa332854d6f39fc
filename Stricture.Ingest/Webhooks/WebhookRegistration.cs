using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// The webhook settings, the outbox the record store fills before each 202 (its
/// <see cref="IAcceptedRunHook"/>), and the dispatcher. dispatch: whether this
/// process delivers in the background (a server does unless told not to; a function and the
/// webhooks command do not).
/// </summary>
internal static class WebhookRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, bool dispatch)
    {
        services.AddOptions<WebhookOptions>().BindSettings().PostConfigure(webhooks =>
        {
            foreach (var (name, webhook) in webhooks.Endpoints)
            {
                webhook.Name = name.ToLowerInvariant();
            }
        });
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsRanges>();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();

        services.AddSingleton<DeliveryKeys>();
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookAudit>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<WebhookPayloads>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<IAcceptedRunHook>(sp => sp.GetRequiredService<WebhookOutbox>());

        // One request per attempt: the service defaults give every client a retrying resilience handler,
        // which would hide failures from the outbox's own durable retries. Removing it is the documented
        // way, still marked experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        if (dispatch)
        {
            services.AddHostedService<WebhookDispatchService>();
        }
        return services;
    }
}
