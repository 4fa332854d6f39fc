using System.Security.Cryptography;
using System.Text.Json;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// The organization's blast-radius index: for each lineage system, which services publish it and
/// which of their fields consume it, from each service's latest export only.
/// <para>
/// <b>Cost.</b> Indexing a run reads its service's latest pointer and writes only what changed: the
/// footprint (the systems its entries are in) when the systems its export touches change, and the
/// entry of each system where its part changed (or a tombstone where its export stopped touching a
/// system). An export that repeats the last one writes nothing. Bounded by the exports' size, never
/// by the number of services or runs; reads of objects this process wrote last are skipped.
/// Reading a system lists its prefix and reads one entry per service that ever touched it, so
/// classifying a diff reads only the systems its changes name. Where this process is the store's
/// only writer (the filesystem driver), a system once read is answered from a view kept in step with
/// the index's own writes (<see cref="SystemViews"/>), and an export that repeats the one a service's
/// objects were last brought in line with costs no request at all.
/// </para>
/// <para>
/// <b>Order.</b> Only a service's newest run is indexed: one at least as new as its latest pointer
/// (<see cref="RunOrder"/>) and as every run of it this process indexed, so an older run posted late
/// changes nothing. In a process, one run of a service is indexed at a time. Two replicas indexing
/// two runs of one service at the same moment can leave entries from the older of the two until the
/// service's next post or a reconcile. Neither footprint nor entries carry a run, so reconcile
/// writes the same bytes.
/// </para>
/// Everything is derived from the latest payloads: <see cref="CatalogReconciler"/> indexes each
/// service's newest run again, which changes nothing that is already right.
/// </summary>
public sealed class BlastRadiusIndex(
    IObjectStore store, RecordKeys recordKeys, StorageTelemetry telemetry, Func<ServiceIdentity, CancellationToken, Task<ManifestEntry?>> readLatest)
{
    private const int ParallelWrites = 8;
    private readonly BlastRadiusKeys _keys = new(recordKeys);

    // The footprints and entries this process last read or wrote: an update of a service's objects
    // by the process that wrote them last starts without a read. Every write is still a conditional
    // replace, so a version another replica has moved on from only costs a retry.
    private readonly ObjectVersions _versions = new();

    // Services whose footprint this process found absent while indexing an export that touches no
    // system (an export without fields[]), so the next such export of the service costs no request at
    // all instead of a read that finds nothing. Forgotten when this process writes the footprint;
    // another replica's footprint written meanwhile is caught up by that service's next export with
    // systems, or by reconcile.
    private readonly ForgetfulMap<bool> _knownWithoutFootprint = new();

    // The newest run of each service this process indexed: a late run is refused without a read
    // even before the newer run's latest pointer is written.
    private readonly ForgetfulMap<ManifestEntry> _indexedRuns = new();

    // On a store with a single writer: the systems' entries kept in step with this index's writes
    // (SystemViews), and the fingerprint of the export each service's objects were last brought in
    // line with, so an export that repeats it writes, reads and compares nothing.
    private readonly SystemViews? _views = store.HasSingleWriter ? new() : null;
    private readonly ForgetfulMap<string> _indexedExports = new();

    // One post of a service indexes at a time in this process (see Order above); services share
    // a gate only by hash, and a gate is held for one post's few small writes.
    private readonly SemaphoreSlim[] _serviceGates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public BlastRadiusKeys Keys => _keys;

    /// <summary>
    /// Indexes <paramref name="export"/> as the service's latest export if its run is the newest indexed.
    /// <paramref name="readFirst"/> (reconcile, which must also restore objects someone deleted)
    /// reads every object instead of starting from what this process last wrote.
    /// </summary>
    public async Task IndexAsync(ServiceIdentity service, ManifestEntry run, LineageExport export, CancellationToken cancellationToken, bool readFirst = false)
    {
        var footprintKey = _keys.Footprint(service);
        var gate = _serviceGates[(uint)StringComparer.Ordinal.GetHashCode(footprintKey) % (uint)_serviceGates.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await IndexServiceAsync(service, footprintKey, run, export, readFirst, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task IndexServiceAsync(
        ServiceIdentity service, string footprintKey, ManifestEntry run, LineageExport export, bool readFirst, CancellationToken cancellationToken)
    {
        var mine = export.Systems;
        if (readFirst)
        {
            _knownWithoutFootprint.Forget(footprintKey);
            _versions.Forget(footprintKey);
        }
        if (mine.Count == 0 && _knownWithoutFootprint.Contains(footprintKey))
        {
            return;
        }
        if (!await IsNewestAsync(service, footprintKey, run, cancellationToken))
        {
            return;
        }
        var entries = mine.ToDictionary(system => system, system => Serialize(EntryOf(service, export, system)), StringComparer.Ordinal);
        var fingerprint = _views is null ? null : Fingerprint(entries);
        if (fingerprint is not null && !readFirst && _indexedExports.TryGet(footprintKey, out var indexed) && indexed == fingerprint)
        {
            return; // this process brought the service's objects in line with this very export last, and nobody else writes
        }
        _indexedExports.Forget(footprintKey);
        await WriteServiceAsync(service, footprintKey, export, mine, entries, readFirst, cancellationToken);
        if (fingerprint is not null)
        {
            _indexedExports.Set(footprintKey, fingerprint);
        }
    }

    private async Task WriteServiceAsync(
        ServiceIdentity service, string footprintKey, LineageExport export, IReadOnlyList<string> mine, Dictionary<string, byte[]> entries,
        bool readFirst, CancellationToken cancellationToken)
    {
        var absent = false;
        IReadOnlyList<string> touched = mine;
        await store.UpdateAsync(footprintKey, current =>
        {
            var footprint = current is { } content ? ParseFootprint(content.Span) : null;
            var systems = (footprint?.Systems ?? []).Union(mine).Order(StringComparer.Ordinal).ToList();
            touched = systems;
            absent = footprint is null && systems.Count == 0;
            return absent || (footprint is not null && systems.SequenceEqual(footprint.Systems)) ? null : Serialize(new ServiceFootprint(systems));
        }, cancellationToken, _versions, lostRace: () => telemetry.RecordLostRace("blast_footprint"));
        if (absent)
        {
            _knownWithoutFootprint.Set(footprintKey, true);
            return;
        }
        _knownWithoutFootprint.Forget(footprintKey);

        await Parallel.ForEachAsync(touched, new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = cancellationToken },
            async (system, ct) =>
            {
                var entry = EntryOf(service, export, system);
                var bytes = entries.GetValueOrDefault(system) ?? Serialize(entry);
                var entryKey = _keys.SystemEntry(service, system);
                if (readFirst)
                {
                    _versions.Forget(entryKey);
                }
                var prefix = _keys.SystemPrefix(service.Organization, system);
                try
                {
                    // Nothing to tombstone where nothing was written, nothing to write where the entry already says it.
                    if (await store.UpdateAsync(entryKey, current => current is { } content
                                ? content.Span.SequenceEqual(bytes) ? null : bytes
                                : entry.IsTombstone ? null : bytes,
                            ct, _versions, lostRace: () => telemetry.RecordLostRace("blast_entry")))
                    {
                        _views?.Wrote(prefix, entryKey, entry);
                    }
                }
                catch
                {
                    _views?.Drop(prefix);
                    throw;
                }
            });

        if (touched.Count != mine.Count)
        {
            // The systems this export no longer touches are tombstoned: the footprint keeps only its own.
            await store.UpdateAsync(footprintKey, current =>
                    current is { } content && !ParseFootprint(content.Span).Systems.SequenceEqual(mine) ? Serialize(new ServiceFootprint(mine)) : null,
                cancellationToken, _versions, lostRace: () => telemetry.RecordLostRace("blast_footprint"));
        }
    }

    /// <summary>
    /// Whether <paramref name="run"/> is at least as new as every run of the service indexed by this
    /// process and as the service's latest pointer (read fresh, so a run another replica cataloged
    /// counts): an older run posted late changes nothing. Remembers the run when it is.
    /// </summary>
    private async Task<bool> IsNewestAsync(ServiceIdentity service, string footprintKey, ManifestEntry run, CancellationToken cancellationToken)
    {
        if (_indexedRuns.TryGet(footprintKey, out var indexed) && RunOrder.Instance.Compare(indexed, run) > 0)
        {
            return false;
        }
        if (await readLatest(service, cancellationToken) is { } latest && RunOrder.Instance.Compare(latest, run) > 0)
        {
            return false;
        }
        _indexedRuns.Set(footprintKey, run);
        return true;
    }

    /// <summary>
    /// The live entries of a system (tombstones left out), by project then service: its view where this
    /// process is the store's only writer and has one, else one listing and a read of each entry.
    /// </summary>
    public async Task<IReadOnlyList<SystemEntry>> ReadSystemAsync(string organization, string system, CancellationToken cancellationToken)
    {
        var prefix = _keys.SystemPrefix(organization, system);
        var entries = _views?.TryGet(prefix);
        if (entries is null)
        {
            var writesBefore = _views?.WritesSoFar ?? 0;
            var keys = new List<string>();
            string? token = null;
            do
            {
                var page = await store.ListAsync(prefix, token, 1000, cancellationToken);
                keys.AddRange(page.Keys);
                token = page.ContinuationToken;
            }
            while (token is not null);
            var read = await Task.WhenAll(keys.Select(key => store.ReadAsync(key, cancellationToken)));
            var keyed = read.OfType<StoredObject>().Select(stored => (stored.Key, Entry: ParseEntry(stored.Content.Span))).ToList();
            _views?.Keep(prefix, writesBefore, keyed);
            entries = [.. keyed.Select(pair => pair.Entry)];
        }
        return entries
            .Where(entry => !entry.IsTombstone && entry.System == system)
            .OrderBy(entry => entry.Project, StringComparer.Ordinal).ThenBy(entry => entry.Service, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The service's latest run (its latest pointer), whose export the index holds; null when it has none.</summary>
    public async Task<string?> ReadLatestRunAsync(ServiceIdentity service, CancellationToken cancellationToken) =>
        (await readLatest(service, cancellationToken))?.RunId;

    /// <summary>The service's own live entries (what its latest indexed export published and consumed).</summary>
    public async Task<IReadOnlyList<SystemEntry>> ReadServiceAsync(ServiceIdentity service, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(_keys.Footprint(service), cancellationToken) is not { } stored)
        {
            return [];
        }
        var footprint = ParseFootprint(stored.Content.Span);
        var read = await Task.WhenAll(footprint.Systems.Select(system => store.ReadAsync(_keys.SystemEntry(service, system), cancellationToken)));
        return read.OfType<StoredObject>().Select(entry => ParseEntry(entry.Content.Span)).Where(entry => !entry.IsTombstone).ToList();
    }

    private static SystemEntry EntryOf(ServiceIdentity service, LineageExport export, string system) =>
        new(system, service.Project, service.Service, export.Published.GetValueOrDefault(system) ?? [], export.Consumed.GetValueOrDefault(system) ?? []);

    private static byte[] Serialize(SystemEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, BlastRadiusJsonContext.Default.SystemEntry);

    /// <summary>The SHA-256 of a service's entries (each names its system), in system order.</summary>
    private static string Fingerprint(Dictionary<string, byte[]> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var system in entries.Keys.Order(StringComparer.Ordinal))
        {
            hash.AppendData(entries[system]);
            hash.AppendData("\n"u8);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Serialize(ServiceFootprint footprint) =>
        JsonSerializer.SerializeToUtf8Bytes(footprint, BlastRadiusJsonContext.Default.ServiceFootprint);

    private static ServiceFootprint ParseFootprint(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, BlastRadiusJsonContext.Default.ServiceFootprint) ?? throw new JsonException("A footprint is null.");

    private static SystemEntry ParseEntry(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, BlastRadiusJsonContext.Default.SystemEntry) ?? throw new JsonException("A blast-radius entry is null.");
}
