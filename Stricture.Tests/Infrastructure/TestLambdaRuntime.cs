using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The Lambda Runtime API (2018-06-01) as Lambda serves it to a custom runtime, on Kestrel at
/// 127.0.0.1: GET /runtime/invocation/next hands out queued events one at a time with the
/// documented headers (request id, deadline, function ARN, trace id) and long-polls while there is
/// none; the response, invocation-error and init-error POSTs are recorded. A function process is
/// started with AWS_LAMBDA_RUNTIME_API = <see cref="Endpoint"/>.
/// </summary>
public sealed class TestLambdaRuntime : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:stricture-ingest";

    /// <summary>The most a synchronous invocation's response may hold ("6 MB"; the exact figure is in Lambda's error message).</summary>
    public const int MaxResponsePayloadBytes = 6_291_556;

    private const string Prefix = "/2018-06-01/runtime";

    private readonly WebApplication _app;
    private readonly Channel<(string RequestId, byte[] Event, DateTimeOffset Deadline)> _queue = Channel.CreateUnbounded<(string, byte[], DateTimeOffset)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeReply>> _pending = new();
    private readonly TaskCompletionSource<RuntimeErrorReport> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextCalls;

    private TestLambdaRuntime(WebApplication app)
    {
        _app = app;
        Endpoint = new Uri(app.Urls.Single()).Authority;
    }

    /// <summary>What AWS_LAMBDA_RUNTIME_API holds: <c>127.0.0.1:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>How many times the runtime has asked for the next invocation.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>Completes when the runtime reports an initialisation error.</summary>
    public Task<RuntimeErrorReport> InitError => _initError.Task;

    public static async Task<TestLambdaRuntime> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        TestLambdaRuntime? runtime = null;
        app.MapGet(Prefix + "/invocation/next", (HttpContext context) => runtime!.NextAsync(context));
        app.MapPost(Prefix + "/invocation/{requestId}/response", async (string requestId, HttpContext context) =>
        {
            var body = await ReadBodyAsync(context);
            if (body.Length > MaxResponsePayloadBytes)
            {
                // As Lambda does: the runtime is told 413, the invocation fails as Function.ResponseSizeTooLarge.
                runtime!.Complete(requestId, new RuntimeReply(requestId, null, new RuntimeErrorReport("Function.ResponseSizeTooLarge",
                    JsonDocument.Parse($$"""{"errorMessage":"Response payload size ({{body.Length}} bytes) exceeded maximum allowed payload size ({{MaxResponsePayloadBytes}} bytes).","errorType":"Function.ResponseSizeTooLarge"}""").RootElement.Clone())));
                return Results.Json(new { errorMessage = $"Exceeded maximum allowed payload size ({MaxResponsePayloadBytes} bytes).", errorType = "RequestEntityTooLarge" },
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            runtime!.Complete(requestId, new RuntimeReply(requestId, body, null));
            return Results.Accepted();
        });
        app.MapPost(Prefix + "/invocation/{requestId}/error", async (string requestId, HttpContext context) =>
        {
            runtime!.Complete(requestId, new RuntimeReply(requestId, null, await ErrorReportAsync(context)));
            return Results.Accepted();
        });
        app.MapPost(Prefix + "/init/error", async (HttpContext context) =>
        {
            runtime!._initError.TrySetResult(await ErrorReportAsync(context));
            return Results.Accepted();
        });
        await app.StartAsync();
        runtime = new TestLambdaRuntime(app);
        return runtime;
    }

    /// <summary>
    /// Queues one event and waits for the function's answer to it. <paramref name="functionTimeout"/> is
    /// the function's configured timeout, which sets the invocation's deadline (30 s by default).
    /// </summary>
    public async Task<RuntimeReply> InvokeAsync(byte[] invocationEvent, TimeSpan? timeout = null, TimeSpan? functionTimeout = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<RuntimeReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = reply;
        await _queue.Writer.WriteAsync((requestId, invocationEvent, DateTimeOffset.UtcNow + (functionTimeout ?? TimeSpan.FromSeconds(30))));
        return await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextCalls);
        (string RequestId, byte[] Event, DateTimeOffset Deadline) next;
        try
        {
            next = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            return;
        }
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(next.Event, context.RequestAborted);
    }

    private void Complete(string requestId, RuntimeReply reply)
    {
        if (!_pending.TryRemove(requestId, out var pending))
        {
            throw new InvalidOperationException($"The function answered invocation '{requestId}', which is not pending (answered twice?).");
        }
        pending.SetResult(reply);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    private static async Task<RuntimeErrorReport> ErrorReportAsync(HttpContext context) =>
        new(context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString(),
            JsonDocument.Parse(await ReadBodyAsync(context)).RootElement.Clone());

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The function's answer to one invocation: a response document, or an invocation error.</summary>
public sealed record RuntimeReply(string RequestId, byte[]? Response, RuntimeErrorReport? Error);

/// <summary>An error the function reported: the Lambda-Runtime-Function-Error-Type header and the {errorMessage, errorType} body.</summary>
public sealed record RuntimeErrorReport(string ErrorTypeHeader, JsonElement Body)
{
    public string ErrorMessage => Body.GetProperty("errorMessage").GetString()!;
}
