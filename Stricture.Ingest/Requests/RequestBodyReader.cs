using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Reads a JSON request body into a <see cref="PooledBuffer"/>, enforcing the size cap while
/// reading: a declared Content-Length over the cap is refused before any byte is read, and a gzip
/// body is capped on its decompressed size, so a gzip bomb stops at the cap.
/// </summary>
internal sealed class RequestBodyReader(IOptions<ServerOptions> options)
{
    // Deflate can carry empty blocks that inflate to nothing; cap the compressed bytes as well.
    private const long CompressedSlack = 64 * 1024;

    public async Task<Validated<PooledBuffer>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxBodyBytes;
        if (ContentTypeProblem(request.ContentType) is { } contentTypeProblem)
        {
            return contentTypeProblem;
        }
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var gzip = encoding == "gzip";
        if (!gzip && encoding is not ("" or "identity"))
        {
            return RequestProblem.UnsupportedMediaType("unsupported-encoding",
                $"Content-Encoding '{encoding}' is not supported; send the body uncompressed or with Content-Encoding: gzip.");
        }
        if (!gzip && request.ContentLength > limit)
        {
            return RequestProblem.TooLarge(limit);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = gzip ? limit + CompressedSlack : limit;
        }

        var buffer = new PooledBuffer();
        try
        {
            await using var decompressor = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
            var source = decompressor ?? request.Body;
            while (true)
            {
                var read = await source.ReadAsync(buffer.GetWritableMemory(), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                buffer.Advance(read);
                if (buffer.Length > limit)
                {
                    buffer.Dispose();
                    return RequestProblem.TooLarge(limit);
                }
            }
            if (buffer.Length == 0)
            {
                buffer.Dispose();
                return RequestProblem.BadRequest("invalid-json", "The request body is empty; send a JSON object.");
            }
            return buffer;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            buffer.Dispose();
            return RequestProblem.TooLarge(limit);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own verdict on the body, such as a body shorter than its Content-Length.
            buffer.Dispose();
            return new RequestProblem(exception.StatusCode, "invalid-body", "The request body could not be read.", exception.Message);
        }
        catch (InvalidDataException)
        {
            buffer.Dispose();
            return RequestProblem.BadRequest("invalid-gzip", "The body is marked Content-Encoding: gzip but is not valid gzip data.");
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// JSON is the only body this endpoint takes, so a post that declares no Content-Type is read as
    /// JSON (as the upstream Go server and its clients do); a declared type other than JSON stays a 415.
    /// </summary>
    private static RequestProblem? ContentTypeProblem(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return RequestProblem.UnsupportedMediaType("unsupported-media-type",
                "Send the body as JSON with Content-Type: application/json.");
        }
        var type = mediaType.MediaType.Value ?? "";
        var isJson = type.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                     (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
        {
            return RequestProblem.UnsupportedMediaType("unsupported-media-type",
                $"Content-Type '{type}' is not supported; send the body as JSON with Content-Type: application/json.");
        }
        var charset = mediaType.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return RequestProblem.UnsupportedMediaType("unsupported-media-type", $"The charset must be utf-8, not '{charset}'.");
        }
        return null;
    }
}
