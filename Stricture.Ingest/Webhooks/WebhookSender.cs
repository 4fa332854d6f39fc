using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// One POST of one delivery: the rendered body, signed, with the event and the delivery id as
/// headers, under the configured timeout. Exactly one request per call: retries are the outbox's,
/// spaced by <see cref="RetrySchedule"/> and durable across restarts, so the client has no
/// resilience handler, and it follows no redirect (a signed payload goes only where it was configured to).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, WebhookPayloads payloads, IOptions<WebhookOptions> options)
{
    public const string ClientName = "stricture-webhooks";
    public const string EventHeader = "X-Stricture-Event";
    public const string DeliveryHeader = "X-Stricture-Delivery";

    public async Task<SendResult> SendAsync(WebhookEndpointOptions webhook, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var body = payloads.Render(webhook.Format, delivery);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(EventHeader, WebhookPayloads.Event);
        request.Headers.Add(DeliveryHeader, delivery.DeliveryId);
        if (webhook.Secret is { } secret)
        {
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, secret));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return SendResult.FromStatus(response.StatusCode, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendVerdict.Transient, 0, $"no answer within {options.Value.TimeoutSeconds} s");
        }
        catch (HttpRequestException exception)
        {
            return new SendResult(SendVerdict.Transient, 0, $"connection failed: {exception.HttpRequestError}");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}
