using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver: Kestrel on 127.0.0.1, recording every POST (headers and exact body
/// bytes) and answering with the status a test sets. It can be stopped and started again on the
/// same port (a receiver that is down, then up), or made to hold requests without answering (a
/// delivery in flight when the server dies).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;
    private volatile int _status = 200;
    private volatile TaskCompletionSource? _hold;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    /// <summary>Every request received, in arrival order (held ones included).</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Requests answered with a 2xx: what a receiver counts as delivered.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => [.. Received.Where(r => r.AnsweredStatus is >= 200 and < 300)];

    /// <summary>A receiver on a free port, not started: the address exists before anything listens there.</summary>
    public static WebhookReceiver OnFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new WebhookReceiver(port);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = OnFreePort();
        await receiver.StartListeningAsync();
        return receiver;
    }

    /// <summary>What the next requests are answered with.</summary>
    public void Answer(int status) => _status = status;

    /// <summary>Requests from now on wait, unanswered, until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public async Task StartListeningAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/hook", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var status = _status;
            var received = new ReceivedWebhook(
                context.Request.Headers["X-Stricture-Event"].ToString(),
                context.Request.Headers["X-Stricture-Delivery"].ToString(),
                context.Request.Headers["X-Stricture-Signature-256"].FirstOrDefault(),
                context.Request.ContentType,
                buffer.ToArray(),
                _hold is null ? status : 0);
            Received.Enqueue(received);
            if (_hold is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
                return;
            }
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopListeningAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            Release();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits, up to <paramref name="timeout"/>, until <paramref name="condition"/> holds; returns whether it did.</summary>
    public async Task<bool> WaitUntilAsync(Func<WebhookReceiver, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    public ValueTask DisposeAsync() => new(StopListeningAsync());
}

/// <summary>One request as the receiver saw it; <see cref="AnsweredStatus"/> is 0 for a held request.</summary>
public sealed record ReceivedWebhook(string Event, string DeliveryId, string? Signature, string? ContentType, byte[] Body, int AnsweredStatus)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}
