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
    /// exist (<see cref="DenseSequence.ReadAfterAsync{T}"/>). A compaction by the process that appended
    /// them passes the last number it knows (<paramref name="knownTip"/>) and what it still holds of
    /// its own (<paramref name="created"/>), so it reads only what other writers appended.
    /// </summary>
    public async Task<List<(long Number, List<ManifestEntry> Entries)>> ReadSegmentsAfterAsync(
        ServiceIdentity service, DateOnly partitionDate, long after, CancellationToken cancellationToken,
        long knownTip = 0, Func<long, List<ManifestEntry>?>? created = null) =>
        await DenseSequence.ReadAfterAsync(after, knownTip,
            number => created?.Invoke(number),
            async number => await store.ReadAsync(keys.ManifestSegment(service, partitionDate, number), cancellationToken) is { } segment
                ? ManifestDocument.Parse(segment.Content.Span)
                : null,
            // A compaction reads one number at a time past its own: what it finds there is mostly its own appends landing meanwhile.
            created is null ? ReadWindow : 1);
}
