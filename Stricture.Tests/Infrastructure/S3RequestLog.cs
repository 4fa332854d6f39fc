using System.Collections.Concurrent;
using Amazon.Runtime;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// Passes an S3 client's requests through to the real server and notes each one on the way (method,
/// path, the payload-hash and conditional headers): instrumentation, not a fake.
/// </summary>
public sealed class S3RequestLog : HttpClientFactory
{
    public ConcurrentQueue<LoggedS3Request> Requests { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new LoggingHandler(Requests, new SocketsHttpHandler()));

    private sealed class LoggingHandler(ConcurrentQueue<LoggedS3Request> requests, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue(new LoggedS3Request(
                request.Method,
                Uri.UnescapeDataString(request.RequestUri!.AbsolutePath),
                request.Headers.TryGetValues("x-amz-content-sha256", out var hash) ? hash.Single() : null,
                request.Headers.TryGetValues("If-None-Match", out var ifNoneMatch) ? ifNoneMatch.Single() : null));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

public sealed record LoggedS3Request(HttpMethod Method, string Path, string? PayloadSha256, string? IfNoneMatch);
