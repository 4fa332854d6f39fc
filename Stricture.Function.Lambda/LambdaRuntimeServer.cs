using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Stricture.Function.Lambda;

/// <summary>
/// The server ASP.NET Core runs on in function mode, in Kestrel's place: instead of accepting
/// connections it asks the Lambda Runtime API for one invocation at a time, runs the HTTP API event
/// through the application's own pipeline (the same middleware, endpoints, validation and auth as
/// the listening server), and posts the response back.
///
/// The loop starts only once the host has started, so a start-up failure is reported through the
/// init-error call before any invocation is taken (Lambda requires that order). Anything the
/// application answers, including its problem responses, is an invocation response; the
/// invocation-error call is only for what the adapter cannot turn into one (an event that is not an
/// HTTP request, or a response the application broke off after starting it). If the Runtime API
/// itself fails, the loop ends and the application stops with <see cref="Fault"/> set: Lambda then
/// replaces the sandbox.
/// </summary>
internal sealed partial class LambdaRuntimeServer(
    LambdaRuntimeApi runtime, IHostApplicationLifetime lifetime, ILogger<LambdaRuntimeServer> logger) : IServer
{
    /// <summary>The variable the X-Ray SDK reads the current invocation's trace header from (custom runtimes set it).</summary>
    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private static readonly Func<ILogger, string, IDisposable?> InvocationScope =
        LoggerMessage.DefineScope<string>("AwsRequestId:{AwsRequestId}");

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>Why the invocation loop ended early: the Runtime API could not be used.</summary>
    public Exception? Fault { get; private set; }

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        lifetime.ApplicationStarted.Register(() => _loop = Task.Run(() => RunAsync(application, _stopping.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping) where TContext : notnull
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var invocation = await runtime.NextAsync(stopping);
                using (InvocationScope(logger, invocation.RequestId))
                {
                    await InvokeAsync(application, invocation, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Fault = exception;
                LogRuntimeApiFailed(logger, exception);
                lifetime.StopApplication();
                return;
            }
        }
    }

    private async Task InvokeAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation, CancellationToken stopping)
        where TContext : notnull
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);

        HttpApiRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(invocation.Event, LambdaJsonContext.Default.HttpApiRequest);
        }
        catch (JsonException exception)
        {
            request = null;
            LogUnsupportedEvent(logger, exception.Message);
        }
        if (HttpApiMapping.Explain(request) is { } unsupported)
        {
            await runtime.ReportInvocationErrorAsync(invocation.RequestId, LambdaRuntimeError.Unsupported(unsupported), stopping);
            return;
        }
        var method = request!.RequestContext!.Http!.Method!;

        using var timeLimit = new InvocationTimeLimit(invocation.Deadline, stopping);
        IFeatureCollection features;
        InvocationResponse response;
        try
        {
            (features, response) = HttpApiMapping.ToFeatures(request, invocation, timeLimit.Token);
        }
        catch (FormatException exception)
        {
            await runtime.ReportInvocationErrorAsync(invocation.RequestId,
                LambdaRuntimeError.Unsupported($"The event's body is marked base64 but is not: {exception.Message}"), stopping);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A malformed event must fail its own invocation, not the instance.
            LogEventNotMapped(logger, exception);
            await runtime.ReportInvocationErrorAsync(invocation.RequestId, LambdaRuntimeError.From(exception, LambdaRuntimeError.AdapterFailure), stopping);
            return;
        }

        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
            await response.CompleteAsync();
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        try
        {
            // Cut short at the time limit: the pipeline saw an aborted request (an exception, or the
            // 499 the exception handler records for one); what it wrote, if anything, is incomplete.
            if (timeLimit.Reached && (failure is not null || response.StatusCode == StatusCodes.Status499ClientClosedRequest))
            {
                LogTimeLimitReached(logger, method, request.RawPath);
                await RespondAsync(invocation, InvocationTimeLimit.ProblemResponse(), stopping);
            }
            else if (failure is null)
            {
                await RespondAsync(invocation, HttpApiMapping.ToResponse(response, method), stopping);
            }
            else if (!response.HasStarted)
            {
                // What Kestrel sends when the application throws before starting the response: a bare 500.
                LogApplicationFailed(logger, failure);
                response.Reset(StatusCodes.Status500InternalServerError);
                await RespondAsync(invocation, HttpApiMapping.ToResponse(response, method), stopping);
            }
            else
            {
                // Part of a response exists: sending it would pass off a torn body as complete (Kestrel aborts the connection).
                LogApplicationFailed(logger, failure);
                await runtime.ReportInvocationErrorAsync(invocation.RequestId, LambdaRuntimeError.From(failure, LambdaRuntimeError.AdapterFailure), stopping);
            }
        }
        finally
        {
            foreach (var callbackFailure in await response.RunOnCompletedAsync())
            {
                LogOnCompletedFailed(logger, callbackFailure);
            }
            application.DisposeContext(context, failure);
        }
    }

    /// <summary>
    /// Sends the response document. One that Lambda would refuse for its size is replaced by a problem
    /// response that says so: otherwise the caller gets a bare 502 from Lambda, and the Runtime API's
    /// refusal would read as a broken runtime and end the instance.
    /// </summary>
    private async Task RespondAsync(LambdaInvocation invocation, HttpApiResponse response, CancellationToken stopping)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.HttpApiResponse);
        if (payload.Length > LambdaPayloadLimit.MaxResponseBytes)
        {
            LogResponseTooLarge(logger, response.StatusCode, payload.Length, LambdaPayloadLimit.MaxResponseBytes);
            payload = JsonSerializer.SerializeToUtf8Bytes(LambdaPayloadLimit.ProblemResponse(payload.Length), LambdaJsonContext.Default.HttpApiResponse);
        }
        try
        {
            await runtime.RespondAsync(invocation.RequestId, payload, stopping);
        }
        catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // Lambda's limit is lower than ours after all: it has failed this invocation; the instance is fine.
            LogResponseRefused(logger, exception, payload.Length);
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Critical, Message = "The Lambda Runtime API failed; stopping so that Lambda replaces this instance")]
    private static partial void LogRuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "An unhandled exception was thrown by the application")]
    private static partial void LogApplicationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The invocation's event is not JSON: {Reason}")]
    private static partial void LogUnsupportedEvent(ILogger logger, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "A response OnCompleted callback failed")]
    private static partial void LogOnCompletedFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error,
        Message = "A {StatusCode} response was {PayloadBytes} bytes as a Lambda payload, over Lambda's limit of {LimitBytes}: answered with a response-too-large problem instead")]
    private static partial void LogResponseTooLarge(ILogger logger, int statusCode, int payloadBytes, int limitBytes);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "The Runtime API refused a response of {PayloadBytes} bytes as too large")]
    private static partial void LogResponseRefused(ILogger logger, Exception exception, int payloadBytes);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error,
        Message = "{Method} {Path} was stopped at the function's time limit and answered with a function-timeout problem")]
    private static partial void LogTimeLimitReached(ILogger logger, string method, string? path);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "The invocation's event could not be turned into a request")]
    private static partial void LogEventNotMapped(ILogger logger, Exception exception);
}
