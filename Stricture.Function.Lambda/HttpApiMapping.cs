using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Stricture.Function.Lambda;

/// <summary>
/// Turns an HTTP API (payload format 2.0) event into the features an ASP.NET Core HttpContext is
/// made of, and the response the application produced back into a payload-2.0 response. What
/// Kestrel would take from the socket comes from the event: method, path, query, headers, body and
/// the client's address.
/// </summary>
internal static class HttpApiMapping
{
    /// <summary>Explains why an event cannot be served as an HTTP request; null when it can.</summary>
    public static string? Explain(HttpApiRequest? request) => request switch
    {
        null => "The event is not a JSON object.",
        { Version: not HttpApiRequest.PayloadVersion } =>
            $"The event has payload format version '{request.Version}'; this function serves HTTP API events of version {HttpApiRequest.PayloadVersion} " +
            "(a function URL, or an API Gateway HTTP API with payload format 2.0).",
        _ when request.RequestContext?.Http?.Method is not { Length: > 0 } => "The event has no requestContext.http.method.",
        _ => null,
    };

    public static (IFeatureCollection Features, InvocationResponse Response) ToFeatures(
        HttpApiRequest request, LambdaInvocation invocation, CancellationToken requestAborted)
    {
        var context = request.RequestContext!;
        var http = context.Http!;
        var (pathBase, path) = SplitStage(request.RawPath ?? http.Path ?? "/", context.Stage);
        var query = string.IsNullOrEmpty(request.RawQueryString) ? "" : "?" + request.RawQueryString;
        var body = Body(request);

        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            // Kept as one value: splitting on commas would break values that contain them (dates,
            // user agents), and every list-valued header reads the same either way.
            headers[name] = value;
        }
        if (request.Cookies is { Count: > 0 } cookies)
        {
            headers.Cookie = string.Join("; ", cookies);
        }
        if (!headers.ContainsKey(HeaderNames.Host) && context.DomainName is { } domain)
        {
            headers.Host = domain;
        }
        // The body arrives whole; its length is known, and no transfer coding applies any more.
        headers.Remove(HeaderNames.TransferEncoding);
        if (body.Length > 0)
        {
            headers.ContentLength = body.Length;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = http.Protocol ?? "HTTP/1.1",
            Scheme = headers.TryGetValue("X-Forwarded-Proto", out var scheme) && scheme.Count == 1 ? scheme.ToString() : "https",
            Method = http.Method!,
            PathBase = pathBase,
            Path = path,
            QueryString = query,
            RawTarget = (request.RawPath ?? path) + query,
            Headers = headers,
            Body = new MemoryStream(body, writable: false),
        });
        var response = new InvocationResponse();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = invocation.RequestId,
            RemoteIpAddress = SourceAddress(http.SourceIp),
        });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature
        {
            TraceIdentifier = context.RequestId ?? invocation.RequestId,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = requestAborted });
        return (features, response);
    }

    public static HttpApiResponse ToResponse(InvocationResponse response, string method)
    {
        var result = new HttpApiResponse { StatusCode = response.StatusCode };
        foreach (var (name, values) in response.Headers)
        {
            if (name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                result.Cookies.AddRange(values.OfType<string>());
            }
            else if (!name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase) &&
                     !name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase))
            {
                result.Headers[name] = string.Join(", ", values.OfType<string>());
            }
        }
        var content = response.Content;
        if (content.IsEmpty || HttpMethods.IsHead(method))
        {
            return result;
        }
        if (IsText(response.Headers) && Utf8.IsValid(content.Span))
        {
            result.Body = Encoding.UTF8.GetString(content.Span);
        }
        else
        {
            result.Body = Convert.ToBase64String(content.Span);
            result.IsBase64Encoded = true;
        }
        return result;
    }

    private static byte[] Body(HttpApiRequest request) => request.Body switch
    {
        null or "" => [],
        var text when request.IsBase64Encoded => Convert.FromBase64String(text),
        var text => Encoding.UTF8.GetBytes(text),
    };

    /// <summary>
    /// An API Gateway stage other than $default is the first segment of rawPath: it becomes the
    /// PathBase, so routes match without it (function URLs have no stage).
    /// </summary>
    private static (string PathBase, string Path) SplitStage(string rawPath, string? stage)
    {
        var path = Decode(rawPath.StartsWith('/') ? rawPath : "/" + rawPath);
        if (stage is { Length: > 0 } && stage != "$default")
        {
            var prefix = "/" + stage;
            if (path.Equals(prefix, StringComparison.Ordinal))
            {
                return (prefix, "/");
            }
            if (path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return (prefix, path[prefix.Length..]);
            }
        }
        return ("", path);
    }

    /// <summary>Percent-decodes a path as Kestrel does: everything except an encoded '/', which would change the segments.</summary>
    private static string Decode(string path)
    {
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return path;
        }
        return string.Join("%2F", Regex.Split(path, "%2F", RegexOptions.IgnoreCase).Select(Uri.UnescapeDataString));
    }

    private static IPAddress? SourceAddress(string? sourceIp)
    {
        // Some documented samples write a CIDR suffix ("192.168.0.1/32").
        var address = sourceIp?.Split('/')[0];
        return IPAddress.TryParse(address, out var ip) ? ip : null;
    }

    /// <summary>Text travels as a string; compressed or binary content as base64.</summary>
    private static bool IsText(IHeaderDictionary headers)
    {
        if (headers.ContentEncoding.ToString() is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (!MediaTypeHeaderValue.TryParse(headers.ContentType.ToString(), out var contentType))
        {
            return false;
        }
        var type = contentType.MediaType.Value ?? "";
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ||
               type.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
               type.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ||
               type.Equals("application/xml", StringComparison.OrdinalIgnoreCase) ||
               type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase) ||
               type.Equals("application/javascript", StringComparison.OrdinalIgnoreCase);
    }
}
