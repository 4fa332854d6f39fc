using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>Body size cap, content types and gzip.</summary>
public sealed class BodyLimitTests(BodyLimitTests.CappedServer shared) : IClassFixture<BodyLimitTests.CappedServer>
{
    private const int Limit = 64 * 1024;
    private readonly IngestServer _server = shared.Server;

    public sealed class CappedServer : SharedIngestServer
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["STRICTURE_SERVER_MAX_BODY_BYTES"] = Limit.ToString() };
    }

    [Fact]
    public async Task A_declared_body_over_the_cap_is_a_413()
    {
        var response = await _server.Client.PostAsync("/v1/artifacts", Posts.Json(PostOfSize(Limit + 1)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problem.AssertAsync(response, "body-too-large");
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_is_a_413_while_reading()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PostOfSize(Limit * 4))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/artifacts") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problem.AssertAsync(response, "body-too-large");
    }

    [Fact]
    public async Task A_body_exactly_at_the_cap_is_accepted()
    {
        var response = await _server.Client.PostAsync("/v1/artifacts", Posts.Json(PostOfSize(Limit)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_gzip_body_is_accepted_and_stored_decompressed()
    {
        var json = PostOfSize(Limit / 2, runId: "gzipped");
        var response = await _server.Client.PostAsync("/v1/artifacts", Gzip(json));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = (await response.JsonBodyAsync()).GetProperty("location").GetString()!;
        Assert.Contains("\"padding\"", await File.ReadAllTextAsync(_server.PathOf(location)));
    }

    [Fact]
    public async Task A_gzip_bomb_is_a_413_on_its_decompressed_size()
    {
        // About 1 KB compressed, 4x the cap once inflated.
        var bomb = "{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"artifact\":{\"x\":\"" + new string('0', Limit * 4) + "\"}}";
        var content = Gzip(bomb);
        Assert.True(content.Headers.ContentLength < Limit / 8);
        var response = await _server.Client.PostAsync("/v1/artifacts", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Problem.AssertAsync(response, "body-too-large");
    }

    [Fact]
    public async Task A_body_marked_gzip_that_is_not_gzip_is_a_400()
    {
        var content = Posts.Json(PostOfSize(100));
        content.Headers.ContentEncoding.Add("gzip");
        var response = await _server.Client.PostAsync("/v1/artifacts", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problem.AssertAsync(response, "invalid-gzip");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_content_type_other_than_json_is_a_415(string contentType)
    {
        var response = await _server.Client.PostAsync("/v1/artifacts", Posts.Raw(Encoding.UTF8.GetBytes(PostOfSize(100)), contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await Problem.AssertAsync(response, "unsupported-media-type");
    }

    [Fact]
    public async Task A_post_without_a_content_type_is_read_as_json_as_upstream_clients_send_it()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(PostOfSize(100)));
        Assert.Null(content.Headers.ContentType);
        var response = await _server.Client.PostAsync("/v1/artifacts", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"a JSON post without a Content-Type must be accepted, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_unsupported_content_encoding_is_a_415()
    {
        var content = Posts.Json(PostOfSize(100));
        content.Headers.ContentEncoding.Add("br");
        var response = await _server.Client.PostAsync("/v1/artifacts", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await Problem.AssertAsync(response, "unsupported-encoding");
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_problem()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = "POST /v1/artifacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      "5\r\n{\"a\":\r\nzz\r\nnot a chunk\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 400", statusLine);
        Assert.Contains("invalid-body", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.stricture+json")]
    public async Task Json_media_types_are_accepted(string contentType)
    {
        var response = await _server.Client.PostAsync("/v1/artifacts", Posts.Raw(Encoding.UTF8.GetBytes(PostOfSize(100)), contentType));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>A valid post whose UTF-8 encoding is exactly <paramref name="size"/> bytes.</summary>
    private static string PostOfSize(int size, string runId = "sized")
    {
        var head = $"{{\"organization\":\"acme\",\"project\":\"p\",\"service\":\"s\",\"run_id\":\"{runId}-{size}\",\"artifact\":{{\"padding\":\"";
        const string tail = "\"}}";
        return head + new string('x', size - head.Length - tail.Length) + tail;
    }

    private static HttpContent Gzip(string json)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }
        var content = Posts.Raw(output.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
