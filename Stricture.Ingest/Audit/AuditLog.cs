using System.Text.Json;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Telemetry;

namespace Stricture.Ingest.Audit;

/// <summary>
/// Writes each audit event to two sinks: the structured log (always) and a JSON-lines file (unless
/// none is configured: function mode).
///
/// When the file cannot be written (disk full, permissions), the request is not failed: the event
/// still reaches the structured log, the failure is logged and counted
/// (<c>stricture.audit.write_failures</c>), and the next event tries the file again. Lines are
/// written whole under a lock and flushed to the OS per event; they are not fsynced.
/// </summary>
internal sealed partial class AuditLog(IOptions<AuditOptions> options, IngestMetrics metrics, ILogger<AuditLog> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _file;

    public void Write(AuditEvent auditEvent)
    {
        LogAuditEvent(logger, auditEvent.Event, auditEvent.Outcome, auditEvent.Status, auditEvent.Reason, auditEvent.Principal,
            auditEvent.Organization, auditEvent.Project, auditEvent.Service, auditEvent.RunId, auditEvent.ScopeDecision, auditEvent.Sha256,
            auditEvent.Webhook, auditEvent.DeliveryId);

        if (options.Value.FilePath is not { Length: > 0 } path)
        {
            return;
        }
        var line = JsonSerializer.SerializeToUtf8Bytes(auditEvent, AuditJsonContext.Default.AuditEvent);
        lock (_gate)
        {
            try
            {
                _file ??= Open(path);
                _file.Write(line);
                _file.WriteByte((byte)'\n');
                _file.Flush();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _file?.Dispose();
                _file = null;
                metrics.RecordAuditWriteFailure();
                LogAuditFileFailure(logger, exception);
            }
        }
    }

    private static FileStream Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Audit: {Event} {Outcome} {Status} {Reason} principal={Principal} org={Organization} project={Project} service={Service} run={RunId} scope={ScopeDecision} sha256={Sha256} webhook={Webhook} delivery={DeliveryId}")]
    private static partial void LogAuditEvent(ILogger logger, string @event, string outcome, int status, string reason, string principal,
        string? organization, string? project, string? service, string? runId, string? scopeDecision, string? sha256,
        string? webhook, string? deliveryId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "The audit file could not be written; the event went to the log only")]
    private static partial void LogAuditFileFailure(ILogger logger, Exception exception);
}
