using System.Text.Json.Serialization;

namespace Stricture.Function.Lambda;

/// <summary>
/// The error document the Runtime API takes on /runtime/init/error and /runtime/invocation/{id}/error.
/// <see cref="Category"/> goes in the Lambda-Runtime-Function-Error-Type header, which Lambda
/// reports as the function's error type; AWS recommends the form <c>Category.Reason</c>.
/// </summary>
internal sealed record LambdaRuntimeError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonIgnore] string Category)
{
    /// <summary>Start-up refused by a configuration rule; the message says what to set.</summary>
    public const string ConfigInvalid = "Runtime.ConfigInvalid";

    public const string UnknownReason = "Runtime.UnknownReason";

    /// <summary>The invocation's event is not an HTTP API (payload format 2.0) request.</summary>
    public const string UnsupportedEvent = "Runtime.UnsupportedEvent";

    /// <summary>The adapter itself failed on an invocation (not the application: its errors are HTTP responses).</summary>
    public const string AdapterFailure = "Runtime.AdapterFailure";

    /// <summary>An event this function does not serve; <paramref name="message"/> says why.</summary>
    public static LambdaRuntimeError Unsupported(string message) => new(message, "UnsupportedEvent", UnsupportedEvent);

    public static LambdaRuntimeError From(Exception exception, string category) =>
        new(exception.Message, exception.GetType().Name, category);
}
