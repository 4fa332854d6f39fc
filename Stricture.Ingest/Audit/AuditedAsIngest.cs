namespace Stricture.Ingest.Audit;

/// <summary>
/// Endpoint metadata: requests to this endpoint are ingest attempts, each audited and measured once
/// by <see cref="IngestAuditMiddleware"/>, whatever stage rejects it (authentication included). A
/// batch is audited once as a request (<see cref="Batch"/>), and each of its items on its own.
/// </summary>
public sealed class AuditedAsIngest
{
    public static readonly AuditedAsIngest Instance = new("ingest");

    public static readonly AuditedAsIngest Batch = new("ingest-batch");

    private AuditedAsIngest(string eventName) => Event = eventName;

    /// <summary>The audit event's <c>event</c>.</summary>
    public string Event { get; }
}
