using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.S3;

namespace Stricture.Tests.S3;

/// <summary>
/// Cloudflare R2 cannot run here, so this checks what the r2 profile sends: the requests are caught
/// by a recording HTTP handler (a fake, for the one thing no real component here can show) before
/// they leave the process.
/// </summary>
public sealed class R2RequestShapeTests
{
    private const string AccountId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task The_r2_profile_signs_for_region_auto_at_the_account_endpoint_without_chunked_payloads_or_crc32_trailers()
    {
        var recorder = new RecordingFactory();
        var settings = new S3StoreSettings
        {
            Bucket = "lineage",
            Flavor = S3Flavor.R2,
            Endpoint = S3StoreSettings.R2Endpoint(AccountId),
            AccessKey = "r2-access-key",
            SecretKey = "r2-secret-key",
        };
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings, recorder), settings, NullLogger<S3ObjectStore>.Instance);

        await store.CreateIfAbsentAsync("stricture/v1/x/payload.json", Encoding.UTF8.GetBytes("{\"k\":1}"), default);

        var put = Assert.Single(recorder.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Equal($"{AccountId}.r2.cloudflarestorage.com", put.Uri.Host);
        Assert.Equal("https", put.Uri.Scheme);
        Assert.Equal("/lineage/stricture/v1/x/payload.json", put.Uri.AbsolutePath);
        Assert.Contains("/auto/s3/aws4_request", put.Headers["Authorization"]);
        Assert.Equal("*", put.Headers["If-None-Match"]);
        Assert.Equal("UNSIGNED-PAYLOAD", put.Headers["x-amz-content-sha256"]);
        Assert.False(put.Headers.ContainsKey("Content-Encoding") && put.Headers["Content-Encoding"].Contains("aws-chunked"), "no aws-chunked body");
        Assert.False(put.Headers.ContainsKey("x-amz-decoded-content-length"), "no streaming signature");
        Assert.False(put.Headers.ContainsKey("x-amz-trailer"), "no checksum trailer");
        Assert.DoesNotContain(put.Headers.Keys, name => name.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("{\"k\":1}", put.Body);
        Assert.NotNull(put.Headers.GetValueOrDefault("x-amz-meta-sha256"));
        Assert.False(store.ChecksCommittedContent, "an unsigned payload is not checked by the store: copies to R2 must be read back");
    }

    private sealed record RecordedRequest(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string Body);

    private sealed class RecordingFactory : HttpClientFactory
    {
        public List<RecordedRequest> Requests { get; } = [];

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new RecordingHandler(Requests));
    }

    private sealed class RecordingHandler(List<RecordedRequest> requests) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (requests)
            {
                requests.Add(new RecordedRequest(request.Method, request.RequestUri!, headers, body));
            }
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"d41d8cd98f00b204e9800998ecf8427e\"");
            return response;
        }
    }
}
