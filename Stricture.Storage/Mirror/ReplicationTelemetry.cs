using System.Diagnostics.Metrics;

namespace Stricture.Storage.Mirror;

/// <summary>
/// The replicator's meter ("Stricture.Replication"): records and bytes copied, failures by kind,
/// and, observed from the spool, the backlog and the age of its oldest entry (replication lag).
/// </summary>
public sealed class ReplicationTelemetry
{
    public const string Name = "Stricture.Replication";

    private readonly Counter<long> _records;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _failures;

    public ReplicationTelemetry(IMeterFactory meterFactory, ReplicationSpool spool, TimeProvider time)
    {
        var meter = meterFactory.Create(Name);
        _records = meter.CreateCounter<long>("stricture.replication.records", unit: "{record}",
            description: "Runs copied to the object store and verified.");
        _bytes = meter.CreateCounter<long>("stricture.replication.bytes", unit: "By",
            description: "Payload bytes copied to the object store.");
        _failures = meter.CreateCounter<long>("stricture.replication.failures", unit: "{failure}",
            description: "Failed copies by kind: unavailable (retried), mismatch (alarm: the bucket holds other bytes), unreadable (the local record failed its check).");
        meter.CreateObservableGauge("stricture.replication.backlog", () => spool.Backlog().Count, unit: "{record}",
            description: "Runs spooled and not yet copied.");
        meter.CreateObservableGauge("stricture.replication.lag", () => LagSeconds(spool, time), unit: "s",
            description: "Age of the oldest run not yet copied; 0 when none is pending.");
    }

    public void RecordCopied(long payloadBytes)
    {
        _records.Add(1);
        _bytes.Add(payloadBytes);
    }

    public void RecordFailure(string kind) => _failures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static double LagSeconds(ReplicationSpool spool, TimeProvider time) => LagSeconds(spool.Backlog().Oldest, time);

    /// <summary>The lag for a backlog already listed: how long its oldest entry has waited.</summary>
    public static double LagSeconds(DateTimeOffset? oldest, TimeProvider time) =>
        oldest is { } spooledAt ? Math.Max(0, (time.GetUtcNow() - spooledAt).TotalSeconds) : 0;
}
