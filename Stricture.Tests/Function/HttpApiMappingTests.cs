using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Stricture.Function.Lambda;

namespace Stricture.Tests.Function;

/// <summary>The adapter's mapping of HTTP API (payload 2.0) events to ASP.NET Core features and of responses back.</summary>
public sealed class HttpApiMappingTests
{
    private static readonly LambdaInvocation Invocation = new("invocation-1", null, null, []);

    private static HttpApiRequest Event(string method = "POST", string rawPath = "/v1/artifacts", string stage = "$default") => new()
    {
        Version = "2.0",
        RawPath = rawPath,
        RawQueryString = "",
        Headers = new Dictionary<string, string> { ["host"] = "abc.lambda-url.eu-west-1.on.aws" },
        RequestContext = new HttpApiRequestContext
        {
            RequestId = "request-1",
            Stage = stage,
            DomainName = "abc.lambda-url.eu-west-1.on.aws",
            Http = new HttpApiRequestHttp { Method = method, Path = rawPath, Protocol = "HTTP/1.1", SourceIp = "203.0.113.7" },
        },
    };

    private static IHttpRequestFeature Request(HttpApiRequest request) =>
        HttpApiMapping.ToFeatures(request, Invocation, CancellationToken.None).Features.Get<IHttpRequestFeature>()!;

    [Fact]
    public void Method_path_query_headers_cookies_and_the_client_address_reach_the_request()
    {
        var request = Event(rawPath: "/v1/runs/acme/checkout/api");
        request.RawQueryString = "from=2026-11-20&commit=abc%20def";
        request.Headers!["accept-encoding"] = "gzip, br";
        request.Headers["x-forwarded-proto"] = "https";
        request.Cookies = ["a=1", "b=2"];

        var (features, _) = HttpApiMapping.ToFeatures(request, Invocation, CancellationToken.None);
        var http = features.Get<IHttpRequestFeature>()!;

        Assert.Equal("POST", http.Method);
        Assert.Equal("https", http.Scheme);
        Assert.Equal("", http.PathBase);
        Assert.Equal("/v1/runs/acme/checkout/api", http.Path);
        Assert.Equal("?from=2026-11-20&commit=abc%20def", http.QueryString);
        Assert.Equal("gzip, br", http.Headers.AcceptEncoding.ToString());
        Assert.Equal("a=1; b=2", http.Headers.Cookie.ToString());
        Assert.Equal(IPAddress.Parse("203.0.113.7"), features.Get<IHttpConnectionFeature>()!.RemoteIpAddress);
        Assert.Equal("request-1", features.Get<IHttpRequestIdentifierFeature>()!.TraceIdentifier);
    }

    [Fact]
    public void A_named_api_gateway_stage_becomes_the_path_base()
    {
        var http = Request(Event(rawPath: "/prod/v1/artifacts", stage: "prod"));

        Assert.Equal("/prod", http.PathBase);
        Assert.Equal("/v1/artifacts", http.Path);
    }

    [Fact]
    public void A_path_is_percent_decoded_except_for_an_encoded_slash()
    {
        var http = Request(Event(rawPath: "/v1/runs/acme/check%2Fout/a%2Db"));

        Assert.Equal("/v1/runs/acme/check%2Fout/a-b", http.Path);
    }

    [Fact]
    public async Task A_base64_body_is_decoded_and_its_length_is_the_content_length()
    {
        byte[] gzip = [0x1f, 0x8b, 0x08, 0x00, 0xff];
        var request = Event();
        request.Body = Convert.ToBase64String(gzip);
        request.IsBase64Encoded = true;
        request.Headers!["content-length"] = "999";
        request.Headers["transfer-encoding"] = "chunked";

        var http = Request(request);
        using var body = new MemoryStream();
        await http.Body.CopyToAsync(body);

        Assert.Equal(gzip, body.ToArray());
        Assert.Equal(gzip.Length, http.Headers.ContentLength);
        Assert.False(http.Headers.ContainsKey("Transfer-Encoding"));
    }

    [Theory]
    [InlineData("""{"version":"1.0","httpMethod":"GET","path":"/"}""", "version '1.0'")]
    [InlineData("""{"version":"2.0","requestContext":{}}""", "requestContext.http.method")]
    [InlineData("""{"source":"aws.events"}""", "version ''")]
    public void An_event_that_is_not_an_http_api_request_is_explained(string json, string expected)
    {
        var request = System.Text.Json.JsonSerializer.Deserialize(json, LambdaJsonContext.Default.HttpApiRequest);

        Assert.Contains(expected, HttpApiMapping.Explain(request));
    }

    [Fact]
    public async Task Json_travels_as_text_and_set_cookie_headers_become_cookies()
    {
        var response = new InvocationResponse { StatusCode = 202 };
        response.Headers.ContentType = "application/problem+json; charset=utf-8";
        response.Headers.Append("Set-Cookie", "a=1; Path=/");
        response.Headers.Append("Set-Cookie", "b=2");
        response.Headers.Vary = new(["Accept-Encoding", "Origin"]);
        await response.Stream.WriteAsync("{\"ok\":\"é\"}"u8.ToArray());

        var result = HttpApiMapping.ToResponse(response, "POST");

        Assert.Equal(202, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        Assert.Equal("{\"ok\":\"é\"}", result.Body);
        Assert.Equal(["a=1; Path=/", "b=2"], result.Cookies);
        Assert.False(result.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("Accept-Encoding, Origin", result.Headers["Vary"]);
    }

    [Theory]
    [InlineData("application/json", "gzip")]
    [InlineData("application/octet-stream", null)]
    public async Task Compressed_or_binary_content_travels_base64(string contentType, string? encoding)
    {
        var response = new InvocationResponse();
        response.Headers.ContentType = contentType;
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }
        byte[] bytes = [0x1f, 0x8b, 0x00, 0xff, 0x41];
        await response.Stream.WriteAsync(bytes);

        var result = HttpApiMapping.ToResponse(response, "GET");

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(bytes, Convert.FromBase64String(result.Body));
    }

    [Fact]
    public async Task Text_that_is_not_utf8_travels_base64_rather_than_mangled()
    {
        var response = new InvocationResponse();
        response.Headers.ContentType = "application/json";
        await response.Stream.WriteAsync(new byte[] { 0xC3, 0x28 });

        Assert.True(HttpApiMapping.ToResponse(response, "GET").IsBase64Encoded);
    }

    [Fact]
    public async Task A_head_response_carries_no_body()
    {
        var response = new InvocationResponse();
        response.Headers.ContentType = "application/json";
        await response.Stream.WriteAsync(Encoding.UTF8.GetBytes("{}"));

        var result = HttpApiMapping.ToResponse(response, "HEAD");

        Assert.Equal("", result.Body);
        Assert.False(result.IsBase64Encoded);
    }

    [Fact]
    public async Task On_starting_callbacks_run_last_registered_first_before_the_first_byte_and_once()
    {
        var response = new InvocationResponse();
        var calls = new List<string>();
        response.OnStarting(_ => { calls.Add("first registered"); return Task.CompletedTask; }, new object());
        response.OnStarting(_ => { calls.Add($"second registered, started={response.HasStarted}"); return Task.CompletedTask; }, new object());

        await response.Writer.WriteAsync("{}"u8.ToArray());
        await response.CompleteAsync();
        await response.CompleteAsync();

        Assert.Equal(["second registered, started=False", "first registered"], calls);
        Assert.True(response.HasStarted);
        Assert.Equal("{}", Encoding.UTF8.GetString(response.Content.Span));
    }
}
