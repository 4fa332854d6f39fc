using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Stricture.Function.Lambda;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) at AWS_LAMBDA_RUNTIME_API: the four calls a custom
/// runtime makes. The Amazon.Lambda.* packages are not available to this build, so this is the
/// documented HTTP protocol spoken directly.
///
/// The HTTP client is a plain one, not one from the application's IHttpClientFactory: the service
/// defaults put a resilience handler (retries, a 30-second total timeout) on every factory client,
/// and both are wrong here. "next" is a long poll that may legitimately wait for minutes while the
/// sandbox is frozen, and a retried response POST could report one invocation twice.
/// </summary>
internal sealed class LambdaRuntimeApi : IDisposable
{
    public const string Version = "2018-06-01";

    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    /// <param name="endpoint">The value of AWS_LAMBDA_RUNTIME_API: <c>host:port</c>.</param>
    public LambdaRuntimeApi(string endpoint)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://{endpoint}/{Version}/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next invocation. The sandbox may be frozen in the middle of this call.</summary>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, RequestIdHeader)
            ?? throw new InvalidOperationException($"The Runtime API answered 'next' without a {RequestIdHeader} header.");
        var deadline = long.TryParse(Header(response, DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : (DateTimeOffset?)null;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new LambdaInvocation(requestId, deadline, Header(response, TraceIdHeader), body);
    }

    public async Task RespondAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(response);
        content.Headers.ContentType = Json;
        await PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
    }

    public Task ReportInvocationErrorAsync(string requestId, LambdaRuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    /// <summary>Start-up failed: Lambda fails the pending invocation with this error and discards the sandbox.</summary>
    public Task ReportInitErrorAsync(LambdaRuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, LambdaRuntimeError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.LambdaRuntimeError));
        content.Headers.ContentType = Json;
        await PostAsync(path, content, cancellationToken, error.Category);
    }

    private async Task PostAsync(string path, HttpContent content, CancellationToken cancellationToken, string? errorType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.Add(ErrorTypeHeader, errorType);
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
