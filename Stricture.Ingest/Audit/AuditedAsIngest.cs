namespace Stricture.Ingest.Audit;

/// <summary>
/// Endpoint metadata: requests to this endpoint are ingest attempts, each audited and measured once
/// by <see cref="IngestAuditMiddleware"/>, whatever stage rejects it (authentication included).
/// </summary>
public sealed class AuditedAsIngest
{
    public static readonly AuditedAsIngest Instance = new();

    private AuditedAsIngest()
    {
    }
}
