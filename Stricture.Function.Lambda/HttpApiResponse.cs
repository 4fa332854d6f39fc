using System.Text.Json.Serialization;

namespace Stricture.Function.Lambda;

/// <summary>
/// The structured response of payload format 2.0 that API Gateway and function URLs turn back into
/// HTTP: header values are single strings (repeated headers joined with commas), each entry of
/// <see cref="Cookies"/> becomes one Set-Cookie header, and a body that is not text travels base64.
/// </summary>
internal sealed class HttpApiResponse
{
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("cookies")]
    public List<string> Cookies { get; set; } = [];

    [JsonPropertyName("body")]
    public string Body { get; set; } = "";

    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
