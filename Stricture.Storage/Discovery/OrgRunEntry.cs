using System.Text.Json.Serialization;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Discovery;

/// <summary>
/// A run as the organization-level objects describe it: which project and service it belongs to,
/// its id, times, commit and drift summary, all copied from its <see cref="ManifestEntry"/> and so
/// derived from its payload. The service directory keeps each service's newest one without the
/// first changes (<see cref="WithoutChanges"/>); the drift index keeps them whole. The commit index
/// also keeps the payload's SHA-256 and size and the run's gate (<see cref="WithContent"/>), so a
/// listing by commit shows what a listing by date shows; the other objects leave them out (null, not written).
/// </summary>
public sealed record OrgRunEntry(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("generated_at")] string? GeneratedAt,
    [property: JsonPropertyName("commit_sha")] string? CommitSha,
    [property: JsonPropertyName("drift")] DriftSummary? Drift,
    [property: JsonPropertyName("impact")] RunImpact? Impact = null)
{
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>The run's gate decision, kept by the commit index only (null, not written, elsewhere and for a run without a diff).</summary>
    [JsonPropertyName("gate")]
    public GateDecision? Gate { get; init; }

    /// <summary>When the run happened, as <see cref="RunOrder"/> orders runs.</summary>
    [JsonIgnore]
    public string OccurredAt => GeneratedAt ?? ReceivedAt;

    public static OrgRunEntry From(ServiceIdentity service, ManifestEntry entry) =>
        new(service.Project, service.Service, entry.RunId, entry.Key, entry.ReceivedAt, entry.GeneratedAt, entry.CommitSha, entry.Drift, entry.Impact);

    /// <summary>The entry with the payload's SHA-256 and size and the run's gate, as the commit index keeps it.</summary>
    public static OrgRunEntry WithContent(ServiceIdentity service, ManifestEntry entry) =>
        From(service, entry) with { Sha256 = entry.Sha256, Size = entry.Size, Gate = entry.Gate };

    /// <summary>The manifest entry this was copied from (for an entry made by <see cref="WithContent"/>).</summary>
    public ManifestEntry ToManifestEntry() =>
        new(RunId, Key, Sha256 ?? "", Size ?? 0, ReceivedAt, GeneratedAt, CommitSha, Drift) { Impact = Impact, Gate = Gate };

    public OrgRunEntry WithoutChanges() => this with
    {
        Drift = Drift is { FirstChanges.Count: > 0 } drift ? drift with { FirstChanges = [] } : Drift,
        Impact = Impact?.Brief(),
    };
}
