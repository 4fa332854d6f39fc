using System.IO.Compression;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Apis;

/// <summary>
/// Sends a stored run envelope exactly as stored, with its SHA-256 as the entity tag. A matching
/// If-None-Match answers 304 with no body; a client that accepts gzip gets it compressed. The
/// gzip representation's tag is the weak form of the same tag (as nginx does): its bytes differ,
/// but If-None-Match compares weakly, so either form revalidates either representation. The run's
/// drift counts, gate decision and impact, which the stored bytes cannot carry, go in the
/// <c>Stricture-Drift</c>, <c>Stricture-Gate</c> and <c>Stricture-Impact</c> headers.
/// </summary>
internal sealed class StoredEnvelopeResult(
    StoredObject envelope, string cacheControl, string? contentLocation = null, Stricture.Storage.Drift.DriftSummary? drift = null,
    Stricture.Storage.BlastRadius.RunAssessment? assessment = null)
    : IResult, IEndpointMetadataProvider
{
    public const string DriftHeader = "Stricture-Drift";
    public const string GateHeader = "Stricture-Gate";
    public const string ImpactHeader = "Stricture-Impact";

    /// <summary>200 with the envelope as stored, or 304 when If-None-Match matches.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(void), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var gzip = AcceptsGzip(context.Request);
        var tag = new EntityTagHeaderValue($"\"{envelope.Sha256}\"", isWeak: gzip);
        response.Headers.ETag = tag.ToString();
        response.Headers.CacheControl = cacheControl;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (contentLocation is not null)
        {
            response.Headers.ContentLocation = contentLocation;
        }
        if (drift is not null)
        {
            response.Headers[DriftHeader] = DriftResponse.Header(drift);
        }
        response.Headers[GateHeader] = GateResponse.Header(assessment?.Gate);
        if (assessment?.Impact is { } impact)
        {
            response.Headers[ImpactHeader] = GateResponse.ImpactHeader(impact);
        }
        if (Matches(context.Request, tag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        if (!gzip)
        {
            response.ContentLength = envelope.Content.Length;
            await response.Body.WriteAsync(envelope.Content, context.RequestAborted);
            return;
        }
        response.Headers.ContentEncoding = "gzip";
        await using var compressed = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        await compressed.WriteAsync(envelope.Content, context.RequestAborted);
    }

    private static bool Matches(HttpRequest request, EntityTagHeaderValue tag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var candidates) &&
        candidates.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false));

    private static bool AcceptsGzip(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var codings) &&
        codings.Any(coding => coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (coding.Quality ?? 1) > 0);
}
