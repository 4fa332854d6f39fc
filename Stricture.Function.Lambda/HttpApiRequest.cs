using System.Text.Json.Serialization;

namespace Stricture.Function.Lambda;

/// <summary>
/// An HTTP request as API Gateway HTTP APIs and Lambda function URLs deliver it: the event of
/// payload format version 2.0. Header names are lowercase and repeated headers are joined with
/// commas; cookies arrive apart from the headers; the body is base64 when it is not text.
/// Only the fields the adapter uses are declared.
/// </summary>
internal sealed class HttpApiRequest
{
    public const string PayloadVersion = "2.0";

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("rawPath")]
    public string? RawPath { get; set; }

    /// <summary>The query string as received, without the '?'.</summary>
    [JsonPropertyName("rawQueryString")]
    public string? RawQueryString { get; set; }

    [JsonPropertyName("cookies")]
    public List<string>? Cookies { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; set; }

    [JsonPropertyName("requestContext")]
    public HttpApiRequestContext? RequestContext { get; set; }

    [JsonPropertyName("body")]
    public string? Body { get; set; }

    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}

internal sealed class HttpApiRequestContext
{
    /// <summary>API Gateway's id of this request (function URLs have one too).</summary>
    [JsonPropertyName("requestId")]
    public string? RequestId { get; set; }

    /// <summary>The API Gateway stage; "$default" on function URLs and default stages, which add no path prefix.</summary>
    [JsonPropertyName("stage")]
    public string? Stage { get; set; }

    [JsonPropertyName("domainName")]
    public string? DomainName { get; set; }

    [JsonPropertyName("http")]
    public HttpApiRequestHttp? Http { get; set; }
}

internal sealed class HttpApiRequestHttp
{
    [JsonPropertyName("method")]
    public string? Method { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    /// <summary>The client's address as the edge saw it.</summary>
    [JsonPropertyName("sourceIp")]
    public string? SourceIp { get; set; }
}
