using System.Collections.Concurrent;
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
/// <b>Cost.</b> Indexing a run reads and rewrites its service's footprint (twice) and one small
/// entry per system its export and its previous export touch: bounded by the exports' size, never by
/// the number of services or runs. The reads are skipped when this process wrote the objects last. Reading a system lists its prefix and reads one entry per service
/// that ever touched it, so classifying a diff reads only the systems its changes name.
/// </para>
/// <para>
/// <b>Concurrency.</b> Every write is a compare-and-swap guarded by <see cref="RunOrder"/>: an entry
/// or footprint never moves back to an older run. A post first adds its systems to the footprint
/// (and becomes its run when newest); only the newest then writes entries, tombstoning the systems
/// in the footprint its export no longer touches, and trims the footprint. An older post that
/// raced it either finds a newer footprint and writes nothing, or had its systems added before the
/// newer post read the footprint, so the newer post tombstones them (an older entry written later
/// loses to the newer tombstone's order).
/// </para>
/// Everything is derived from the latest payloads: <see cref="CatalogReconciler"/> indexes each
/// service's newest run again, which changes nothing that is already right.
/// </summary>
public sealed class BlastRadiusIndex(IObjectStore store, RecordKeys recordKeys, StorageTelemetry telemetry)
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
    // systems, or by reconcile. Bounded like ObjectVersions.
    private readonly ConcurrentDictionary<string, bool> _knownWithoutFootprint = new(StringComparer.Ordinal);

    public BlastRadiusKeys Keys => _keys;

    /// <summary>
    /// Indexes <paramref name="export"/> as the service's latest export if its run is the newest indexed.
    /// <paramref name="readFirst"/> (reconcile, which must also restore objects someone deleted)
    /// reads every object instead of starting from what this process last wrote.
    /// </summary>
    public async Task IndexAsync(ServiceIdentity service, ManifestEntry run, LineageExport export, CancellationToken cancellationToken, bool readFirst = false)
    {
        var mine = export.Systems;
        var footprintKey = _keys.Footprint(service);
        if (readFirst)
        {
            _knownWithoutFootprint.TryRemove(footprintKey, out _);
            _versions.Forget(footprintKey);
        }
        if (mine.Count == 0 && _knownWithoutFootprint.ContainsKey(footprintKey))
        {
            return;
        }
        var newest = false;
        var absent = false;
        IReadOnlyList<string> touched = mine;
        await store.UpdateAsync(footprintKey, current =>
        {
            var footprint = current is { } content ? ParseFootprint(content.Span) : null;
            newest = footprint is null || RunOrder.Compare(run.OccurredAt, run.RunId, footprint.OccurredAt, footprint.RunId) >= 0;
            var systems = (footprint?.Systems ?? []).Union(mine).Order(StringComparer.Ordinal).ToList();
            touched = systems;
            absent = footprint is null && systems.Count == 0;
            if (absent)
            {
                return null;
            }
            var next = newest ? new ServiceFootprint(run.RunId, run.OccurredAt, systems) : footprint! with { Systems = systems };
            return footprint is not null && next.RunId == footprint.RunId && next.Systems.SequenceEqual(footprint.Systems) ? null : Serialize(next);
        }, cancellationToken, _versions, lostRace: () => telemetry.RecordLostRace("blast_footprint"));
        if (absent)
        {
            if (_knownWithoutFootprint.Count >= ObjectVersions.MaxObjects)
            {
                _knownWithoutFootprint.Clear();
            }
            _knownWithoutFootprint[footprintKey] = true;
            return;
        }
        _knownWithoutFootprint.TryRemove(footprintKey, out _);
        if (!newest)
        {
            return;
        }

        await Parallel.ForEachAsync(touched, new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = cancellationToken },
            async (system, ct) =>
            {
                var entry = new SystemEntry(system, service.Project, service.Service, run.RunId, run.OccurredAt,
                    export.Published.GetValueOrDefault(system) ?? [], export.Consumed.GetValueOrDefault(system) ?? []);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, BlastRadiusJsonContext.Default.SystemEntry);
                var entryKey = _keys.SystemEntry(service, system);
                if (readFirst)
                {
                    _versions.Forget(entryKey);
                }
                await store.UpdateAsync(entryKey, current =>
                {
                    if (current is not { } content)
                    {
                        // Nothing to tombstone where nothing was written.
                        return entry.IsTombstone ? null : bytes;
                    }
                    var stored = ParseEntry(content.Span);
                    return stored.IsNewerThan(run.OccurredAt, run.RunId) || content.Span.SequenceEqual(bytes) ? null : bytes;
                }, ct, _versions, lostRace: () => telemetry.RecordLostRace("blast_entry"));
            });

        if (touched.Count != mine.Count)
        {
            await store.UpdateAsync(footprintKey, current =>
                current is { } content && ParseFootprint(content.Span) is var footprint && footprint.RunId == run.RunId && footprint.OccurredAt == run.OccurredAt
                    && !footprint.Systems.SequenceEqual(mine)
                    ? Serialize(footprint with { Systems = mine })
                    : null,
                cancellationToken, _versions, lostRace: () => telemetry.RecordLostRace("blast_footprint"));
        }
    }

    /// <summary>The live entries of a system (tombstones left out), by project then service.</summary>
    public async Task<IReadOnlyList<SystemEntry>> ReadSystemAsync(string organization, string system, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(_keys.SystemPrefix(organization, system), token, 1000, cancellationToken);
            keys.AddRange(page.Keys);
            token = page.ContinuationToken;
        }
        while (token is not null);
        var read = await Task.WhenAll(keys.Select(key => store.ReadAsync(key, cancellationToken)));
        return read.OfType<StoredObject>().Select(stored => ParseEntry(stored.Content.Span))
            .Where(entry => !entry.IsTombstone && entry.System == system)
            .OrderBy(entry => entry.Project, StringComparer.Ordinal).ThenBy(entry => entry.Service, StringComparer.Ordinal)
            .ToList();
    }

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

    private static byte[] Serialize(ServiceFootprint footprint) =>
        JsonSerializer.SerializeToUtf8Bytes(footprint, BlastRadiusJsonContext.Default.ServiceFootprint);

    private static ServiceFootprint ParseFootprint(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, BlastRadiusJsonContext.Default.ServiceFootprint) ?? throw new JsonException("A footprint is null.");

    private static SystemEntry ParseEntry(ReadOnlySpan<byte> content) =>
        JsonSerializer.Deserialize(content, BlastRadiusJsonContext.Default.SystemEntry) ?? throw new JsonException("A blast-radius entry is null.");
}
