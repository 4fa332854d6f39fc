using System.Text.Json;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Catalog;

/// <summary>
/// The derived objects that answer queries without a database: per-day manifests
/// (<c>manifests/date=D.jsonl</c>) and a per-service <c>latest.json</c>. Both are updated by
/// compare-and-swap, so writers in several processes never lose an entry, and concurrent updates of
/// one object within a process are coalesced into one write. An entry is only ever added; the latest
/// pointer only moves forward in <see cref="RunOrder"/>. Both are derived from the payloads, and
/// <see cref="CatalogReconciler"/> rebuilds them.
/// </summary>
public sealed class RunCatalog
{
    private readonly IObjectStore _store;
    private readonly RecordKeys _keys;
    private readonly StorageTelemetry _telemetry;
    private readonly KeyedBatcher<ManifestEntry> _manifestUpdates;
    private readonly KeyedBatcher<ManifestEntry> _latestUpdates;

    public RunCatalog(IObjectStore store, RecordKeys keys, StorageTelemetry telemetry)
    {
        _store = store;
        _keys = keys;
        _telemetry = telemetry;
        // The batches are applied without the submitters' cancellation: a batch serves many requests.
        _manifestUpdates = new((key, entries) => MergeIntoManifestAsync(key, entries, CancellationToken.None));
        _latestUpdates = new((key, entries) => AdvanceLatestAsync(key, entries, CancellationToken.None));
    }

    /// <summary>
    /// Adds a stored run to its day's manifest and, when it is the newest, to the service's latest
    /// pointer; completes once both are durable, so a query made afterwards sees the run.
    /// </summary>
    public Task RecordAsync(ServiceIdentity service, DateOnly partitionDate, ManifestEntry entry, CancellationToken cancellationToken) =>
        Task.WhenAll(
                _manifestUpdates.SubmitAsync(_keys.Manifest(service, partitionDate), entry),
                _latestUpdates.SubmitAsync(_keys.Latest(service), entry))
            .WaitAsync(cancellationToken);

    /// <summary>Adds the entries a manifest lacks; true when it changed.</summary>
    public async Task<bool> MergeIntoManifestAsync(string manifestKey, IReadOnlyList<ManifestEntry> entries, CancellationToken cancellationToken)
    {
        var changed = await _store.UpdateAsync(manifestKey,
            current => ManifestDocument.MergeInto(current is { } content ? content.Span : [], entries), cancellationToken);
        _telemetry.RecordCatalogUpdate("manifest", changed);
        return changed;
    }

    /// <summary>Moves a latest pointer to the newest of <paramref name="candidates"/> unless it already points at a newer run; true when it moved.</summary>
    public async Task<bool> AdvanceLatestAsync(string latestKey, IReadOnlyList<ManifestEntry> candidates, CancellationToken cancellationToken)
    {
        var newest = candidates.Max(RunOrder.Instance)!;
        var changed = await _store.UpdateAsync(latestKey, current =>
            current is { } content && RunOrder.Instance.Compare(ParseLatest(content.Span), newest) >= 0
                ? null
                : JsonSerializer.SerializeToUtf8Bytes(newest, CatalogJsonContext.Default.ManifestEntry),
            cancellationToken);
        _telemetry.RecordCatalogUpdate("latest", changed);
        return changed;
    }

    public async Task<ManifestEntry?> ReadLatestAsync(ServiceIdentity service, CancellationToken cancellationToken) =>
        await _store.ReadAsync(_keys.Latest(service), cancellationToken) is { } stored ? ParseLatest(stored.Content.Span) : null;

    /// <summary>A day's manifest in <see cref="RunOrder"/> (oldest first); empty when the day has no runs.</summary>
    public async Task<List<ManifestEntry>> ReadManifestAsync(ServiceIdentity service, DateOnly partitionDate, CancellationToken cancellationToken) =>
        await _store.ReadAsync(_keys.Manifest(service, partitionDate), cancellationToken) is { } stored
            ? ManifestDocument.Parse(stored.Content.Span)
            : [];

    private static ManifestEntry ParseLatest(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, CatalogJsonContext.Default.ManifestEntry)
        ?? throw new JsonException("latest.json is null.");
}
