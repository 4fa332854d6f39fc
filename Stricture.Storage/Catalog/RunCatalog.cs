using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Discovery;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Catalog;

/// <summary>
/// The derived objects that answer queries without a database. A day's runs are the union of its
/// compacted manifest (<c>manifests/date=D.jsonl</c>) and the immutable segments appended since
/// (<see cref="ManifestSegments"/>); a service's newest run is <c>latest.json</c>.
///
/// Recording a run costs the same whatever the day and service already hold: one new segment per
/// coalesced batch (concurrent records of one day within a process go into one segment), and a
/// compare-and-swap of the small latest pointer when it moves forward, tried against the version
/// this process last wrote so that it is usually one write. Both are durable before
/// <see cref="RecordAsync"/> returns, so a query made afterwards, in any process, sees the run.
///
/// In the background, a day's new segments are folded into its compacted manifest
/// (<see cref="CompactAsync"/>): idempotent, by compare-and-swap, then the day's
/// <see cref="CompactionMark"/> moves forward, so readers read only the segments after it. One
/// compaction per day runs at a time in a process, after a pause that grows with how long the last
/// one took and with the manifest's size (<see cref="CompactionPacing"/>), so compaction takes a
/// bounded share of the machine and of the disk however large the day grows. A
/// crash at any point leaves segments a later compaction (or reconcile) folds in; readers never
/// depend on it. An entry is only ever added; the latest pointer only moves forward in
/// <see cref="RunOrder"/>; all of it is derived from the payloads, and <see cref="CatalogReconciler"/>
/// rebuilds it. Recording a run also records it in the organization-level objects
/// (<see cref="Organizations"/>: the service directory and the drift index), at the same time.
/// The replicator's appends to a bucket do not: there they are built by reconcile.
/// </summary>
public sealed partial class RunCatalog
{
    private readonly IObjectStore _store;
    private readonly RecordKeys _keys;
    private readonly StorageTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ManifestSegments _segments;
    private readonly DayManifestReader _days;
    // Latest pointers and compaction marks as this process last wrote or read them: a replace starts
    // from them without a read (a stale one costs one failed conditional write).
    private readonly ObjectVersions _smallObjects = new();
    private readonly KeyedBatcher<DayEntry> _segmentAppends;
    private readonly KeyedBatcher<ManifestEntry> _latestUpdates;
    private readonly KeyedBatcher<(ServiceIdentity Service, DateOnly Day)> _compactions;
    private readonly PacedCompactions _pacedCompactions = new();

    private readonly bool _compactInBackground;

    /// <summary>
    /// <paramref name="compactInBackground"/> false leaves compaction to explicit <see cref="CompactAsync"/>
    /// calls and reconcile (for tools and tests that must know when the compacted manifest changes);
    /// reads are correct either way.
    /// </summary>
    public RunCatalog(IObjectStore store, RecordKeys keys, StorageTelemetry telemetry, ILogger<RunCatalog>? logger = null, bool compactInBackground = true)
    {
        _compactInBackground = compactInBackground;
        _store = store;
        _keys = keys;
        _telemetry = telemetry;
        _logger = logger ?? NullLogger<RunCatalog>.Instance;
        _segments = new ManifestSegments(store, keys, telemetry);
        _days = new DayManifestReader(store, keys);
        Organizations = new OrgCatalog(store, keys, telemetry, _logger, compactInBackground);
        BlastRadius = new BlastRadiusIndex(store, keys, telemetry, ReadLatestPositionAsync);
        // The batches are applied without the submitters' cancellation: a batch serves many requests.
        // On a store several processes write (S3, R2) every append is a request: paced, so batches are larger.
        _segmentAppends = new(async (_, batch) =>
            await AppendAsync(batch[0].Service, batch[0].Day, batch.Select(item => item.Entry).ToList(), CancellationToken.None) > 0,
            paced: !store.HasSingleWriter);
        _latestUpdates = new(async (key, entries) =>
        {
            var lostRaces = 0;
            await AdvanceLatestAsync(key, entries, CancellationToken.None, lostRace: () => lostRaces++);
            return lostRaces > 0;
        });
        _compactions = new(async (key, batch) =>
        {
            await CompactInBackgroundAsync(key, batch[0].Service, batch[0].Day);
            return false;
        });
    }

    /// <summary>The organization-level objects: the service directory and the drift index.</summary>
    public OrgCatalog Organizations { get; }

    /// <summary>The organization's blast-radius index over each service's latest export (kept by <see cref="RunAssessor"/> at ingest).</summary>
    public BlastRadiusIndex BlastRadius { get; }

    /// <summary>
    /// Adds a stored run to its day's log and, when it is the newest, to the service's latest
    /// pointer; completes once both are durable, so a query made afterwards sees the run.
    /// </summary>
    public Task RecordAsync(ServiceIdentity service, DateOnly partitionDate, ManifestEntry entry, CancellationToken cancellationToken) =>
        Task.WhenAll(
                _segmentAppends.SubmitAsync(_keys.Manifest(service, partitionDate), new DayEntry(service, partitionDate, entry)),
                _latestUpdates.SubmitAsync(_keys.Latest(service), entry),
                Organizations.AppendAsync(service, partitionDate, [entry], cancellationToken))
            .WaitAsync(cancellationToken);

    /// <summary>
    /// Appends runs of one day as one new segment, durable on return, and schedules the day's
    /// compaction; returns how many segment numbers other writers took first.
    /// </summary>
    public async Task<int> AppendAsync(ServiceIdentity service, DateOnly partitionDate, IReadOnlyCollection<ManifestEntry> entries, CancellationToken cancellationToken)
    {
        var (_, racesLost) = await _segments.AppendAsync(service, partitionDate, entries, () => _days.ReadCompactionMarkAsync(service, partitionDate, cancellationToken), cancellationToken);
        _telemetry.RecordCatalogUpdate("segment", changed: true);
        if (!_compactInBackground)
        {
            return racesLost;
        }
        var compaction = _compactions.SubmitAsync(_keys.Manifest(service, partitionDate), (service, partitionDate));
        _ = compaction.ContinueWith(
            failed => LogCompactionFailed(_logger, failed.Exception!.GetBaseException(), _keys.Manifest(service, partitionDate)),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return racesLost;
    }

    /// <summary>
    /// Folds the day's segments after its compaction mark, and <paramref name="additions"/>, into its
    /// compacted manifest, then moves the mark to the last segment folded. Idempotent and safe beside
    /// other writers and compactions; true when the compacted manifest changed.
    /// </summary>
    public Task<bool> CompactAsync(
        ServiceIdentity service, DateOnly partitionDate, IReadOnlyCollection<ManifestEntry> additions, CancellationToken cancellationToken) =>
        CompactDayAsync(service, partitionDate, additions, fromMemory: false, cancellationToken, sized: null);

    /// <summary>
    /// <paramref name="fromMemory"/> (the background compaction of what this process appended) starts
    /// from the mark as this process last wrote or read it, which is at most behind the store's (a mark
    /// only moves forward: that costs re-reading segments already folded, never missing one), and takes
    /// the segments it created from memory, so it reads only what other writers appended. Reconcile,
    /// which must also see what was deleted by hand, reads everything.
    /// </summary>
    private async Task<bool> CompactDayAsync(
        ServiceIdentity service, DateOnly partitionDate, IReadOnlyCollection<ManifestEntry> additions, bool fromMemory, CancellationToken cancellationToken,
        Action<int>? sized)
    {
        var markKey = _keys.CompactionMark(service, partitionDate);
        var through = fromMemory && _smallObjects.Get(markKey) is { } knownMark
            ? CompactionMark.Parse(knownMark.Content.Span)
            : await _days.ReadCompactionMarkAsync(service, partitionDate, cancellationToken);
        var segments = fromMemory
            ? await _days.ReadSegmentsAfterAsync(service, partitionDate, through, cancellationToken, _segments.KnownTip(service, partitionDate),
                number => _segments.Created(service, partitionDate, number))
            : await _days.ReadSegmentsAfterAsync(service, partitionDate, through, cancellationToken);
        var entries = additions.Concat(segments.SelectMany(segment => segment.Entries)).ToList();
        var changed = entries.Count > 0 && await MergeIntoManifestAsync(_keys.Manifest(service, partitionDate), entries, cancellationToken, sized);
        if (segments.Count > 0)
        {
            // Only after the manifest holds them: a reader of the mark must find them in the manifest.
            var folded = segments[^1].Number;
            if (!fromMemory)
            {
                _smallObjects.Forget(markKey); // what the store holds now is what was just read
            }
            await _store.UpdateAsync(markKey,
                current => current is { } content && CompactionMark.Parse(content.Span) >= folded ? null : CompactionMark.Serialize(folded),
                cancellationToken, fromMemory ? _smallObjects : null, () => _telemetry.RecordLostRace("compaction_mark"));
            _segments.Folded(service, partitionDate, through, folded);
        }
        _telemetry.RecordCatalogUpdate("compaction", changed);
        return changed;
    }

    /// <summary>
    /// Moves a latest pointer to the newest of <paramref name="candidates"/> unless it already points
    /// at a newer run; true when it moved. It starts from the version this process last saw, unless
    /// <paramref name="readFirst"/> (reconcile, which must also repair a pointer someone deleted).
    /// <paramref name="lostRace"/> is told of every replace another writer got in before.
    /// </summary>
    public async Task<bool> AdvanceLatestAsync(
        string latestKey, IReadOnlyList<ManifestEntry> candidates, CancellationToken cancellationToken, bool readFirst = false, Action? lostRace = null)
    {
        if (readFirst)
        {
            _smallObjects.Forget(latestKey);
        }
        var newest = candidates.Max(RunOrder.Instance)!;
        var changed = await _store.UpdateAsync(latestKey, current =>
                current is { } content && RunOrder.Instance.Compare(ParseLatest(content.Span), newest) >= 0
                    ? null
                    : JsonSerializer.SerializeToUtf8Bytes(newest, CatalogJsonContext.Default.ManifestEntry),
            cancellationToken, _smallObjects, () =>
            {
                _telemetry.RecordLostRace("latest");
                lostRace?.Invoke();
            });
        _telemetry.RecordCatalogUpdate("latest", changed);
        return changed;
    }

    public async Task<ManifestEntry?> ReadLatestAsync(ServiceIdentity service, CancellationToken cancellationToken) =>
        await ReadLatestObjectAsync(service, cancellationToken) is { } stored ? ParseLatest(stored.Content.Span) : null;

    /// <summary>
    /// The service's latest pointer. On a store with a single writer the version this process last
    /// wrote or read is the one the store holds, so it is answered without a read.
    /// </summary>
    private async ValueTask<StoredObject?> ReadLatestObjectAsync(ServiceIdentity service, CancellationToken cancellationToken)
    {
        var key = _keys.Latest(service);
        if (_store.HasSingleWriter && _smallObjects.Get(key) is { } known)
        {
            return known;
        }
        return await _store.ReadAsync(key, cancellationToken);
    }

    /// <summary>
    /// The service's latest run as far as <see cref="RunOrder"/> goes (its id and times, nothing else
    /// filled in), or null when it has none: what the blast-radius index asks on every post, without
    /// parsing the drift, impact and gate the pointer also carries.
    /// </summary>
    public async Task<ManifestEntry?> ReadLatestPositionAsync(ServiceIdentity service, CancellationToken cancellationToken)
    {
        if (await ReadLatestObjectAsync(service, cancellationToken) is not { } stored)
        {
            return null;
        }
        var position = JsonSerializer.Deserialize(stored.Content.Span, CatalogJsonContext.Default.RunPosition)
                       ?? throw new JsonException("latest.json is null.");
        return new ManifestEntry(position.RunId, "", "", 0, position.ReceivedAt, position.GeneratedAt, null);
    }

    /// <summary>A day's runs in <see cref="RunOrder"/> (oldest first), every run recorded before the call began included (<see cref="DayManifestReader"/>).</summary>
    public Task<List<ManifestEntry>> ReadManifestAsync(ServiceIdentity service, DateOnly partitionDate, CancellationToken cancellationToken) =>
        _days.ReadAsync(service, partitionDate, cancellationToken);

    /// <summary>Adds the entries the compacted manifest lacks; true when it changed. <paramref name="sized"/> is told the manifest's size after the merge.</summary>
    private async Task<bool> MergeIntoManifestAsync(
        string manifestKey, IReadOnlyCollection<ManifestEntry> entries, CancellationToken cancellationToken, Action<int>? sized = null) =>
        await _store.UpdateAsync(manifestKey,
            current =>
            {
                var next = ManifestDocument.MergeInto(current is { } content ? content.Span : [], entries);
                sized?.Invoke(next?.Length ?? current?.Length ?? 0);
                return next;
            }, cancellationToken,
            lostRace: () => _telemetry.RecordLostRace("manifest"));

    private async Task CompactInBackgroundAsync(string manifestKey, ServiceIdentity service, DateOnly partitionDate)
    {
        await _pacedCompactions.RunAsync(manifestKey,
            sized => CompactDayAsync(service, partitionDate, [], fromMemory: true, CancellationToken.None, sized));
    }

    private static ManifestEntry ParseLatest(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, CatalogJsonContext.Default.ManifestEntry)
        ?? throw new JsonException("latest.json is null.");

    private sealed record DayEntry(ServiceIdentity Service, DateOnly Day, ManifestEntry Entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting {ManifestKey} failed; its segments stay readable and the next append or reconcile folds them in")]
    private static partial void LogCompactionFailed(ILogger logger, Exception exception, string manifestKey);
}
