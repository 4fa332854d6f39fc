using System.IO.Compression;
using System.Net.Http.Headers;

namespace Stricture.Cli.Push;

/// <summary>
/// The bytes a push sends: gzip (Content-Encoding: gzip) when that makes them smaller, which it
/// does for any lineage export worth the name; otherwise as they are. The server caps the
/// decompressed size, so compression never lets a body past the cap.
/// </summary>
public sealed class RequestBody
{
    private RequestBody(byte[] bytes, bool gzip, int uncompressedLength)
    {
        Bytes = bytes;
        Gzip = gzip;
        UncompressedLength = uncompressedLength;
    }

    public byte[] Bytes { get; }

    public bool Gzip { get; }

    public int UncompressedLength { get; }

    public static RequestBody For(byte[] json)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(json);
        }
        return compressed.Length < json.Length
            ? new RequestBody(compressed.ToArray(), gzip: true, json.Length)
            : new RequestBody(json, gzip: false, json.Length);
    }

    /// <summary>New content for each attempt: a request message and its content are sent once.</summary>
    public HttpContent ToContent()
    {
        var content = new ByteArrayContent(Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (Gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        return content;
    }
}
