using Stricture.Ingest.Requests;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Audit;

/// <summary>
/// What the pipeline learns about one ingest request, filled in as it goes (auth, parsing,
/// storage) and turned into one audit event when the response is done.
/// </summary>
public sealed class IngestAuditFeature
{
    public string? Reason { get; private set; }
    public ServiceIdentity? Service { get; private set; }
    public string? RunId { get; private set; }

    /// <summary>The identifiers as sent, when normalization renamed any (STRICTURE_SERVER_IDENTIFIERS=normalize).</summary>
    public IdentifiersAsSent? SentAs { get; private set; }
    public string? Location { get; private set; }
    public string? Sha256 { get; private set; }
    public long? StoredBytes { get; private set; }
    public long? RequestBytes { get; private set; }

    /// <summary>The scope the request needed (<c>org/project</c>), once known.</summary>
    public string? Scope { get; private set; }

    /// <summary><c>allowed</c>, <c>denied</c>, or <c>not-required</c> (auth mode none).</summary>
    public string? ScopeDecision { get; private set; }

    /// <summary>A genuine credential that authentication refused (expired, not allowed), for the audit's principal.</summary>
    public string? RefusedPrincipal { get; private set; }

    public void Received(long bytes) => RequestBytes = bytes;

    public void Reject(string reason) => Reason = reason;

    public void RejectAuthentication(string reason, string? refusedPrincipal)
    {
        Reason = reason;
        RefusedPrincipal = refusedPrincipal;
    }

    public void DecideScope(string scope, string decision)
    {
        Scope = scope;
        ScopeDecision = decision;
    }

    public void Identify(ServiceIdentity service, string? runId, IdentifiersAsSent? sentAs = null)
    {
        Service = service;
        RunId = runId;
        SentAs = sentAs;
    }

    public void Stored(IngestResult result)
    {
        RunId = result.RunId;
        Location = result.Location;
        if (result.Status == IngestStatus.Accepted)
        {
            Sha256 = result.Sha256;
            StoredBytes = result.Size;
            Reason = result.Created ? "stored" : "identical-retry";
        }
        else
        {
            Reason = "run-conflict";
        }
    }
}
