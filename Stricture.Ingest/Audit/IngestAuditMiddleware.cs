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
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedAsIngest>() is not { } audited)
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
            var auditEvent = EventOf(context, feature, audited.Event, status, feature.RequestBytes ?? context.Request.ContentLength, time);
            audit.Write(auditEvent);
            metrics.RecordRequest(auditEvent.Outcome, status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The audit event of one ingest attempt (a request, or an item of a batch) that came to <paramref name="status"/>.</summary>
    internal static AuditEvent EventOf(HttpContext context, IngestAuditFeature feature, string eventName, int status, long? requestBytes, TimeProvider time)
    {
        var outcome = status < 400 ? "accepted" : status >= 500 ? "error" : "rejected";
        var reason = feature.Reason ?? (status >= 500 ? "server-error" : "rejected");
        return new AuditEvent(
            UtcTimestamp.Format(time.GetUtcNow()), eventName, outcome, status, reason,
            PrincipalOf(context, feature), context.Connection.RemoteIpAddress?.ToString(),
            feature.Service?.Organization, feature.Service?.Project, feature.Service?.Service, feature.RunId,
            feature.Scope, feature.ScopeDecision,
            feature.Location, requestBytes, feature.StoredBytes, feature.Sha256, Activity.Current?.TraceId.ToString())
        {
            SentAs = feature.SentAs,
        };
    }

    private static string PrincipalOf(HttpContext context, IngestAuditFeature feature) =>
        context.User.Identity is { IsAuthenticated: true } ? IngestPrincipal.NameOf(context) : feature.RefusedPrincipal ?? IngestPrincipal.Anonymous;
}
