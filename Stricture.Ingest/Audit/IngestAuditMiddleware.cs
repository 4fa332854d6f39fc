using System.Diagnostics;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Telemetry;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Audit;

/// <summary>
/// Wraps every request to an endpoint marked <see cref="AuditedAsIngest"/> (POST /v1/artifacts),
/// authentication included, so each accepted or rejected ingest produces exactly one audit event
/// and one set of measurements, whatever stage rejected it. Routing has chosen the endpoint before
/// this runs; authentication runs after it.
/// </summary>
internal sealed class IngestAuditMiddleware(RequestDelegate next, AuditLog audit, IngestMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedAsIngest>() is null)
        {
            await next(context);
            return;
        }
        var feature = new IngestAuditFeature();
        context.Features.Set(feature);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var requestBytes = feature.RequestBytes ?? context.Request.ContentLength;
            var outcome = status < 400 ? "accepted" : status >= 500 ? "error" : "rejected";
            var reason = feature.Reason ?? (status >= 500 ? "server-error" : "rejected");
            audit.Write(new AuditEvent(
                UtcTimestamp.Format(time.GetUtcNow()), "ingest", outcome, status, reason,
                PrincipalOf(context, feature), context.Connection.RemoteIpAddress?.ToString(),
                feature.Service?.Organization, feature.Service?.Project, feature.Service?.Service, feature.RunId,
                feature.Scope, feature.ScopeDecision,
                feature.Location, requestBytes, feature.StoredBytes, feature.Sha256, Activity.Current?.TraceId.ToString())
            {
                SentAs = feature.SentAs,
            });
            metrics.RecordRequest(outcome, status, Stopwatch.GetElapsedTime(started));
        }
    }

    private static string PrincipalOf(HttpContext context, IngestAuditFeature feature) =>
        context.User.Identity is { IsAuthenticated: true } ? IngestPrincipal.NameOf(context) : feature.RefusedPrincipal ?? IngestPrincipal.Anonymous;
}
