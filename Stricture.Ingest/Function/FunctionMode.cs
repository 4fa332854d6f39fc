using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Stricture.Function.Lambda;
using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Function;

/// <summary>
/// Cloud-function mode: the same application, served as an AWS Lambda function. It is selected by
/// the environment alone: Lambda sets AWS_LAMBDA_RUNTIME_API for a custom runtime, and then the
/// binary serves invocations from it instead of listening on a port. Everything above the server
/// (middleware, endpoints, validation, auth, storage) is the listening server's, unchanged.
///
/// An instance keeps nothing between invocations that a record depends on, and Lambda discards it
/// at will: records go to the object store (s3, r2), never to the instance's disk; the catalog is
/// not reconciled at start (cold starts stay short; reconcile from a server or the reconcile
/// command); audit events go to the log (CloudWatch) rather than a file.
/// </summary>
internal static class FunctionMode
{
    public static bool IsSelected(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[LambdaRuntimeRegistration.RuntimeApiVariable]);

    public static WebApplicationBuilder AddFunctionMode(this WebApplicationBuilder builder)
    {
        builder.Services.AddLambdaRuntimeServer(builder.Configuration[LambdaRuntimeRegistration.RuntimeApiVariable]!.Trim());
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, FunctionStorageValidator>();
        builder.Services.AddSingleton<IValidateOptions<Configuration.AuthOptions>, FunctionAuthValidator>();
        // CloudWatch stores each line of output as one event: one JSON line per entry keeps an entry
        // (and its exception) together. An explicit Logging__Console__FormatterName still wins.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Json);
        // Messages quote names ('bucket'): keep them readable rather than \u0027-escaped (a log is not HTML).
        builder.Services.Configure<JsonConsoleFormatterOptions>(json =>
            json.JsonWriterOptions = json.JsonWriterOptions with { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return builder;
    }

    /// <summary>
    /// Starts the application and serves invocations until Lambda shuts the instance down. A failure
    /// to start (a refused configuration, an unreachable bucket) is reported to Lambda through the
    /// init-error call, which fails the pending invocation with that message; then the process exits 1.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        if (ServiceHost.RefusedSettings(app.Services) is { Count: > 0 } refused)
        {
            var message = string.Join("; ", refused);
            Console.Error.WriteLine(message);
            await ReportInitErrorAsync(app, new LambdaRuntimeError(message, nameof(OptionsValidationException), LambdaRuntimeError.ConfigInvalid));
            return 1;
        }
        try
        {
            await app.StartAsync();
        }
        catch (Exception exception)
        {
            // The host has already logged why.
            await ReportInitErrorAsync(app, LambdaRuntimeError.From(exception, LambdaRuntimeError.UnknownReason));
            return 1;
        }
        await app.WaitForShutdownAsync();
        return app.Services.GetRequiredService<LambdaRuntimeServer>().Fault is null ? 0 : 1;
    }

    private static async Task ReportInitErrorAsync(WebApplication app, LambdaRuntimeError error)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.Services.GetRequiredService<LambdaRuntimeApi>().ReportInitErrorAsync(error, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            Console.Error.WriteLine($"The start-up failure could not be reported to the Lambda Runtime API: {exception.Message}");
        }
    }
}
