using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Stricture.Bench;

/// <summary>
/// Request bodies of an exact size. The artifact is a lineage-export-like object: an array of small
/// node objects (so the server's parser and duplicate-property check do real work, as they would on
/// a real export), padded with a notes string to the byte. Run ids are fixed-width, so every body
/// of a phase has the same length.
/// </summary>
internal static class ArtifactBodies
{
    private const string NotesHead = "],\"notes\":\"";
    private const string NotesTail = "\"}";

    public static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string RunId(string phase, int index) => $"{phase}-{index:D8}";

    /// <summary>The day every post is dated unless the load spreads them over days.</summary>
    public static readonly DateOnly DefaultDay = new(2026, 11, 22);

    /// <summary>
    /// Everything before the artifact object; the body ends with a single '}'. generated_at is
    /// <paramref name="day"/> (default <see cref="DefaultDay"/>) at 10:00 UTC: the same length on
    /// every day, and the day decides the run's date partition and so its manifest.
    /// </summary>
    public static byte[] Head(string runId, DateOnly? day = null, string service = DefaultService) => Encoding.UTF8.GetBytes(
        $"{{\"organization\":\"acme\",\"project\":\"bench\",\"service\":\"{service}\",\"run_id\":\"{runId}\"," +
        $"\"generated_at\":\"{day ?? DefaultDay:yyyy-MM-dd}T10:00:00Z\",\"artifact\":");

    public static readonly byte[] Tail = "}"u8.ToArray();

    /// <summary>The artifact size that makes a whole body exactly <paramref name="bodyBytes"/> long.</summary>
    public static int ArtifactBytesFor(int bodyBytes, string sampleRunId, string service = DefaultService) =>
        bodyBytes - Head(sampleRunId, service: service).Length - Tail.Length;

    /// <summary>The one service every post goes to unless the load spreads them over services.</summary>
    public const string DefaultService = "api";

    /// <summary>Service <paramref name="index"/> of a load spread over services: fixed-width names, so every body has the same size.</summary>
    public static string SpreadService(int index) => $"s{index:D5}";

    /// <summary>A JSON object of exactly <paramref name="bytes"/> bytes (ASCII), and how many node objects it holds.</summary>
    public static (byte[] Json, int Nodes) Artifact(int bytes)
    {
        var json = new StringBuilder(bytes);
        json.Append("{\"format\":\"stricture.lineage/v1\",\"nodes\":[");
        var nodes = 0;
        while (true)
        {
            var node = $"{{\"id\":\"n{nodes:D6}\",\"type\":\"dataset\",\"name\":\"warehouse.sales.t{nodes:D6}\"," +
                       $"\"upstream\":[\"n{Math.Max(0, nodes - 1):D6}\"],\"rows\":{nodes * 7919 % 1_000_000}}}";
            var separator = nodes == 0 ? "" : ",";
            if (json.Length + separator.Length + node.Length + NotesHead.Length + NotesTail.Length > bytes)
            {
                break;
            }
            json.Append(separator).Append(node);
            nodes++;
        }
        var padding = bytes - json.Length - NotesHead.Length - NotesTail.Length;
        json.Append(NotesHead).Append('x', padding).Append(NotesTail);
        var result = Encoding.ASCII.GetBytes(json.ToString());
        return result.Length == bytes ? (result, nodes) : throw new InvalidOperationException($"Artifact is {result.Length} bytes, not {bytes}.");
    }

    /// <summary>One small body as a single array (cheap at 4 KiB).</summary>
    public static ByteArrayContent Small(string runId, byte[] artifact, DateOnly? day = null, string service = DefaultService)
    {
        var head = Head(runId, day, service);
        var body = new byte[head.Length + artifact.Length + Tail.Length];
        head.CopyTo(body, 0);
        artifact.CopyTo(body, head.Length);
        Tail.CopyTo(body, head.Length + artifact.Length);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>A large body that shares one artifact array, so 32 concurrent 10 MB posts do not cost the client 320 MB.</summary>
    public static HttpContent Large(string runId, byte[] artifact)
    {
        var content = new SplicedContent(Head(runId), artifact, Tail);
        content.Headers.ContentType = Json;
        return content;
    }

    private sealed class SplicedContent(params byte[][] parts) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var part in parts)
            {
                await stream.WriteAsync(part, cancellationToken);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = parts.Sum(p => (long)p.Length);
            return true;
        }
    }
}
