using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Stricture.ColdStart;

/// <summary>
/// The Lambda Runtime API for one cold start at a time: the armed event is handed to the first
/// GET /runtime/invocation/next, and the times of that call (the runtime's initialisation is over)
/// and of the response POST (the first invocation is answered) are taken on the harness's clock.
/// Later "next" calls wait until the process is gone, as a frozen sandbox would.
/// </summary>
internal sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly WebApplication _app;
    private Armed? _armed;

    private RuntimeApiEmulator(WebApplication app)
    {
        _app = app;
        Endpoint = new Uri(app.Urls.Single()).Authority;
    }

    /// <summary>What AWS_LAMBDA_RUNTIME_API holds.</summary>
    public string Endpoint { get; }

    public static async Task<RuntimeApiEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RuntimeApiEmulator? emulator = null;
        app.MapGet(Prefix + "/invocation/next", (HttpContext context) => emulator!.NextAsync(context));
        app.MapPost(Prefix + "/invocation/{id}/response", async (HttpContext context) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            emulator!._armed?.Answered.TrySetResult((at, body.ToArray()));
            return Results.Accepted();
        });
        app.MapPost(Prefix + "/invocation/{id}/error", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            emulator!._armed?.Answered.TrySetException(new InvalidOperationException("invocation error: " + await reader.ReadToEndAsync()));
            return Results.Accepted();
        });
        app.MapPost(Prefix + "/init/error", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            emulator!._armed?.Answered.TrySetException(new InvalidOperationException("init error: " + await reader.ReadToEndAsync()));
            return Results.Accepted();
        });
        await app.StartAsync();
        emulator = new RuntimeApiEmulator(app);
        return emulator;
    }

    /// <summary>Makes <paramref name="invocationEvent"/> the next invocation; the returned handle completes as the function answers it.</summary>
    public Armed Arm(byte[] invocationEvent) => _armed = new Armed(invocationEvent);

    private async Task NextAsync(HttpContext context)
    {
        var armed = _armed;
        if (armed is null || Interlocked.Exchange(ref armed.Taken, 1) == 1)
        {
            // No more work for this process: hold the call open until it is killed.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        armed.Initialised.TrySetResult(Stopwatch.GetTimestamp());
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = Guid.NewGuid().ToString();
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] =
            DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:cold-start";
        context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(armed.Event);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One armed invocation and the moments it was taken and answered (Stopwatch timestamps).</summary>
    internal sealed class Armed(byte[] invocationEvent)
    {
        public byte[] Event { get; } = invocationEvent;

        public int Taken;

        public TaskCompletionSource<long> Initialised { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<(long At, byte[] Response)> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
