using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Stricture.Ingest.Telemetry;

/// <summary>The ingest API's meter ("Stricture.Ingest"). Request traces come from ASP.NET Core's own activity, tagged with the run identity.</summary>
internal sealed class IngestMetrics
{
    public const string Name = "Stricture.Ingest";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _receivedBytes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _auditWriteFailures;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _requests = meter.CreateCounter<long>("stricture.ingest.requests", unit: "{request}",
            description: "Ingest requests by outcome (accepted, rejected, error) and HTTP status.");
        _receivedBytes = meter.CreateCounter<long>("stricture.ingest.received_bytes", unit: "By",
            description: "Request body bytes read by ingest, after decompression.");
        _duration = meter.CreateHistogram<double>("stricture.ingest.duration", unit: "s",
            description: "Ingest request latency, from the first middleware to the response.");
        _auditWriteFailures = meter.CreateCounter<long>("stricture.audit.write_failures", unit: "{event}",
            description: "Audit events that could not be written to the audit file.");
    }

    public void RecordRequest(string outcome, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "outcome", outcome }, { "http.response.status_code", status } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordReceivedBytes(long bytes) => _receivedBytes.Add(bytes);

    public void RecordAuditWriteFailure() => _auditWriteFailures.Add(1);
}
