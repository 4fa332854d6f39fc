using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Reads a day's runs from a store: the compaction mark first, then the compacted manifest and the
/// segments after the mark (<see cref="ManifestSegments"/>), merged by run id. Reading the mark first
/// is what makes it complete: the mark moves only after the compacted manifest holds what it covers,
/// and segments are dense, so every run recorded before the read began is in the result. The cost is
/// bounded by compaction: the segments read are those appended since the last one.
/// </summary>
public sealed class DayManifestReader(IObjectStore store, RecordKeys keys)
{
    /// <summary>Segments read at once when reading a day's log forward, after the first.</summary>
    private const int ReadWindow = 8;

    /// <summary>A day's runs in <see cref="RunOrder"/> (oldest first); empty when the day has none.</summary>
    public async Task<List<ManifestEntry>> ReadAsync(ServiceIdentity service, DateOnly partitionDate, CancellationToken cancellationToken)
    {
        var through = await ReadCompactionMarkAsync(service, partitionDate, cancellationToken);
        var compacted = store.ReadAsync(keys.Manifest(service, partitionDate), cancellationToken);
        var segments = ReadSegmentsAfterAsync(service, partitionDate, through, cancellationToken);
        await Task.WhenAll(compacted, segments);
        var entries = compacted.Result is { } stored ? ManifestDocument.Parse(stored.Content.Span) : [];
        return segments.Result.Count == 0
            ? entries
            : ManifestDocument.Merge(entries, segments.Result.SelectMany(segment => segment.Entries)) ?? entries;
    }

    /// <summary>Through which segment the day's compacted manifest holds every entry; 0 before its first compaction.</summary>
    public async Task<long> ReadCompactionMarkAsync(ServiceIdentity service, DateOnly partitionDate, CancellationToken cancellationToken) =>
        await store.ReadAsync(keys.CompactionMark(service, partitionDate), cancellationToken) is { } mark ? CompactionMark.Parse(mark.Content.Span) : 0;

    /// <summary>
    /// The segments after <paramref name="after"/>, in order, up to the first number that does not
    /// exist. Segments up to <paramref name="knownTip"/> are known to exist (a compaction by the
    /// process that appended them), so they are taken at once: from <paramref name="created"/> where
    /// this process still holds what it wrote, else read together; reading then goes on past them as
    /// for any reader, so segments other writers appended meanwhile are found too.
    /// </summary>
    public async Task<List<(long Number, List<ManifestEntry> Entries)>> ReadSegmentsAfterAsync(
        ServiceIdentity service, DateOnly partitionDate, long after, CancellationToken cancellationToken,
        long knownTip = 0, Func<string, IReadOnlyList<ManifestEntry>?>? created = null)
    {
        var segments = new List<(long, List<ManifestEntry>)>();
        if (knownTip > after)
        {
            var known = await Task.WhenAll(Enumerable.Range(1, (int)Math.Min(knownTip - after, int.MaxValue)).Select(async offset =>
            {
                var key = keys.ManifestSegment(service, partitionDate, after + offset);
                return created?.Invoke(key) is { } entries
                    ? [.. entries]
                    : await store.ReadAsync(key, cancellationToken) is { } segment ? ManifestDocument.Parse(segment.Content.Span) : null;
            }));
            foreach (var (entries, offset) in known.Select((entries, offset) => (entries, offset + 1)))
            {
                if (entries is null)
                {
                    return segments; // deleted by hand since: the day ends at the first missing number
                }
                segments.Add((after + offset, entries));
            }
            after = knownTip;
        }
        // One first: a day freshly compacted, or without runs, costs one read that finds nothing.
        var start = after + 1;
        for (var size = 1; ; start += size, size = ReadWindow)
        {
            var window = await Task.WhenAll(Enumerable.Range(0, size).Select(offset =>
                store.ReadAsync(keys.ManifestSegment(service, partitionDate, start + offset), cancellationToken)));
            foreach (var (segment, offset) in window.Select((segment, offset) => (segment, offset)))
            {
                if (segment is null)
                {
                    return segments;
                }
                segments.Add((start + offset, ManifestDocument.Parse(segment.Content.Span)));
            }
        }
    }
}
