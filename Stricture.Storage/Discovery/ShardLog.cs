using System.Collections.Concurrent;
using Stricture.Storage.Catalog;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Discovery;

/// <summary>
/// One shard of an organization-level object as an append-only log, the way a day's manifest is
/// kept (<see cref="Catalog.ManifestSegments"/>): each append creates one new immutable segment,
/// numbered densely from 1 with a conditional create, so it costs the same however much the shard
/// holds; a compaction folds the segments into the compacted document by compare-and-swap. The
/// compacted document carries its own mark in its header line (<see cref="ShardDocument"/>), so a
/// reader reads it, then the segments after its mark up to the first missing number, and has seen
/// every segment whose create completed before it began. A crash leaves segments a later compaction
/// or a reconcile folds in; readers never depend on compaction.
/// </summary>
public sealed class ShardLog(IObjectStore store, StorageTelemetry telemetry)
{
    /// <summary>Segments read at once after the first, when reading a shard forward.</summary>
    private const int ReadWindow = 8;

    /// <summary>Bounds the appends other writers can make this one lose before it gives up as unavailable.</summary>
    private const int MaxAttempts = 1024;

    /// <summary>Compacted documents whose parse is kept; past this the cache is emptied (it is only a cache).</summary>
    private const int MaxParsedDocuments = 1_024;

    // The shards' tips and the segments this process created, until folded (AppendedSegments).
    private readonly AppendedSegments<OrgRunEntry> _appended = new(ParseSegment);

    /// <summary>
    /// Compacted documents as parsed, with the SHA-256 of the bytes they were parsed from. A read asks
    /// the store for the object's recorded SHA-256 (no content read) and reads and parses again only
    /// when it changed, so listing an organization's services does not re-parse its whole directory
    /// each time. A document with the same SHA-256 is the same bytes, so the answer is unchanged.
    /// </summary>
    private readonly ConcurrentDictionary<string, ParsedDocument> _parsed = new(StringComparer.Ordinal);

    /// <summary>Appends <paramref name="entries"/> as the shard's next segment, durable on return.</summary>
    public async Task AppendAsync(string shardKey, IReadOnlyList<OrgRunEntry> entries, ShardFormat format, CancellationToken cancellationToken)
    {
        var ordered = entries.ToList();
        format.Sort(ordered);
        var content = ShardDocument.Serialize(through: null, ordered);
        await using var staged = await store.StageBytesAsync(content, cancellationToken);
        var known = _appended.TryGetTip(shardKey, out var hint) ? hint : await FindTipAsync(shardKey, await ReadMarkAsync(shardKey, cancellationToken), cancellationToken);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var number = known + 1;
            if (await store.CommitIfAbsentAsync(staged, OrgKeys.Segment(shardKey, number), cancellationToken) == CreateOutcome.Created)
            {
                _appended.Created(shardKey, number, content);
                return;
            }
            telemetry.RecordLostRace("org_segment");
            // Segment `number` exists; another writer is ahead: search for the tip rather than walk to it.
            known = attempt % 4 == 0 ? await FindTipAsync(shardKey, number, cancellationToken) : number;
        }
        throw new ObjectStoreUnavailableException($"'{shardKey}' gained {MaxAttempts} segments from other writers while this one tried to append; retry later.");
    }

    /// <summary>The shard's entries, merged by the format: the compacted document and every segment after its mark.</summary>
    public async Task<List<OrgRunEntry>> ReadAsync(string shardKey, ShardFormat format, CancellationToken cancellationToken)
    {
        var (through, entries) = await ReadCompactedAsync(shardKey, cancellationToken);
        var segments = await ReadSegmentsAfterAsync(shardKey, through, cancellationToken);
        return segments.Count == 0 ? entries : ShardDocument.Merge(entries, segments.SelectMany(segment => segment.Entries), format) ?? entries;
    }

    /// <summary>
    /// Folds the segments after the mark, and <paramref name="additions"/>, into the compacted
    /// document and moves its mark to the last segment folded, in one compare-and-swap. Idempotent and
    /// safe beside other writers and compactions; true when the document changed. One read of the
    /// document per attempt; an entry log that grows at its end is folded without parsing it
    /// (<see cref="ShardDocument.Fold"/>).
    /// </summary>
    /// <para>
    /// <paramref name="fromMemory"/> (a background compaction of what this process appended) takes the
    /// segments this process created up to the last number it knows from memory and reads only the
    /// others; reconcile, which must also see what was deleted by hand, reads every one.
    /// <paramref name="sized"/> is told the document's size once folded (what paces the next compaction).
    /// </para>
    public async Task<bool> CompactAsync(
        string shardKey, IReadOnlyCollection<OrgRunEntry> additions, ShardFormat format, CancellationToken cancellationToken, bool fromMemory = false,
        Action<int>? sized = null)
    {
        var key = OrgKeys.Compacted(shardKey);
        long foldedFrom = 0, folded = 0;
        var changed = await CompareAndSwap.RetryLostRacesAsync(key, async token =>
        {
            var current = await store.ReadAsync(key, token);
            var through = current is null ? 0 : ShardDocument.ReadThrough(current.Content.Span);
            var segments = await ReadSegmentsAfterAsync(shardKey, through, token, fromMemory);
            if (segments.Count == 0 && additions.Count == 0)
            {
                return false;
            }
            (foldedFrom, folded) = (through, segments.Count > 0 ? segments[^1].Number : through);
            if (ShardDocument.Fold(current?.Content, folded, additions.Concat(segments.SelectMany(segment => segment.Entries)), format) is not { } next)
            {
                sized?.Invoke(current?.Content.Length ?? 0);
                return false;
            }
            sized?.Invoke(next.Length);
            if (!(await store.CommitIfUnchangedAsync(key, next, current?.ETag, token)).Won)
            {
                telemetry.RecordLostRace("org_compaction");
                return null;
            }
            return true;
        }, cancellationToken);
        telemetry.RecordCatalogUpdate("org_compaction", changed);
        // Whatever the outcome, the compacted document now holds every segment up to `folded`.
        _appended.Folded(shardKey, foldedFrom, folded);
        return changed;
    }

    private async Task<(long Through, List<OrgRunEntry> Entries)> ReadCompactedAsync(string shardKey, CancellationToken cancellationToken)
    {
        var key = OrgKeys.Compacted(shardKey);
        if (_parsed.TryGetValue(key, out var cached)
            && await store.GetInfoAsync(key, cancellationToken) is { Sha256: { } sha256 } && sha256 == cached.Sha256)
        {
            return (cached.Through, [.. cached.Entries]);
        }
        if (await store.ReadAsync(key, cancellationToken) is not { } stored)
        {
            return (0, []);
        }
        var (through, entries) = ShardDocument.Parse(stored.Content.Span, withHeader: true);
        if (_parsed.Count >= MaxParsedDocuments)
        {
            _parsed.Clear();
        }
        _parsed[key] = new ParsedDocument(stored.Sha256, through, [.. entries]);
        return (through, entries);
    }

    private async Task<long> ReadMarkAsync(string shardKey, CancellationToken cancellationToken) =>
        (await ReadCompactedAsync(shardKey, cancellationToken)).Through;

    /// <summary>
    /// The segments after <paramref name="after"/> up to the first missing number; with
    /// <paramref name="fromMemory"/>, those this process created come from memory (<see cref="DenseSequence.ReadAfterAsync{T}"/>).
    /// </summary>
    private async Task<List<(long Number, List<OrgRunEntry> Entries)>> ReadSegmentsAfterAsync(
        string shardKey, long after, CancellationToken cancellationToken, bool fromMemory = false) =>
        await DenseSequence.ReadAfterAsync(after, fromMemory ? _appended.Tip(shardKey) : 0,
            number => fromMemory ? _appended.EntriesOf(shardKey, number) : null,
            async number => await store.ReadAsync(OrgKeys.Segment(shardKey, number), cancellationToken) is { } segment
                ? ParseSegment(segment.Content)
                : null,
            // A compaction reads one number at a time past its own: what it finds there is mostly its own appends landing meanwhile.
            fromMemory ? 1 : ReadWindow);

    /// <summary>A segment's entries: a document without the compacted form's header line.</summary>
    private static List<OrgRunEntry> ParseSegment(ReadOnlyMemory<byte> content) => ShardDocument.Parse(content.Span, withHeader: false).Entries;

    /// <summary>The shard's last segment number at or above <paramref name="known"/>: gallop while segments exist, then bisect (numbering is dense).</summary>
    private Task<long> FindTipAsync(string shardKey, long known, CancellationToken cancellationToken) =>
        DenseSequence.FindTipAsync(known, async number => await store.GetInfoAsync(OrgKeys.Segment(shardKey, number), cancellationToken) is not null);

    private sealed record ParsedDocument(string Sha256, long Through, OrgRunEntry[] Entries);
}
