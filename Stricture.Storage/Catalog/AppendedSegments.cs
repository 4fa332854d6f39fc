using System.Collections.Concurrent;
using System.Globalization;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Catalog;

/// <summary>
/// What a process knows of the append-only logs it appends to (a day's manifest, an organization
/// shard), kept in memory and bounded, since it is only ever a shortcut:
/// <list type="bullet">
/// <item>each log's <b>tip</b>, the last segment number this process created: segments are dense, so
/// every number up to it exists, and the next append starts there instead of searching;</item>
/// <item>the <b>content of the segments it created</b> and has not yet seen folded, so its own
/// background compaction parses them from here instead of reading back what it wrote (a GET each on
/// an object store). A segment is immutable once created, so the copy is exact; one that was
/// forgotten is read from the store.</item>
/// </list>
/// The segments are kept as the bytes written, one array each, not as entry objects: they live until
/// a compaction folds them (seconds, on a busy day thousands of runs), long enough for the garbage
/// collector to copy them into older generations, and a pause copying one array per segment is a
/// fraction of one tracing and copying every entry's strings.
/// </summary>
internal sealed class AppendedSegments<TEntry>(Func<ReadOnlyMemory<byte>, List<TEntry>> parse)
{
    /// <summary>Logs whose tip is remembered; past this the tips are forgotten (they are only hints).</summary>
    private const int MaxRememberedLogs = 16_384;

    private readonly ConcurrentDictionary<string, long> _tips = new(StringComparer.Ordinal);
    private readonly ForgetfulMap<ReadOnlyMemory<byte>> _created = new();

    /// <summary>The last segment number of <paramref name="log"/> this process created, or 0 when it knows none.</summary>
    public long Tip(string log) => _tips.TryGetValue(log, out var tip) ? tip : 0;

    public bool TryGetTip(string log, out long tip) => _tips.TryGetValue(log, out tip);

    /// <summary>Remembers that this process created segment <paramref name="number"/> of <paramref name="log"/> with <paramref name="content"/>, which no one may change.</summary>
    public void Created(string log, long number, ReadOnlyMemory<byte> content)
    {
        _created.Set(SegmentOf(log, number), content);
        if (_tips.Count >= MaxRememberedLogs)
        {
            _tips.Clear();
        }
        _tips.AddOrUpdate(log, number, (_, current) => Math.Max(current, number));
    }

    /// <summary>The entries of a segment this process created, in the order written, when it still holds them.</summary>
    public List<TEntry>? EntriesOf(string log, long number) =>
        _created.TryGet(SegmentOf(log, number), out var content) ? parse(content) : null;

    /// <summary>Drops the copies of the segments after <paramref name="after"/> up to <paramref name="through"/>, once a compaction has folded them.</summary>
    public void Folded(string log, long after, long through)
    {
        for (var number = after + 1; number <= through; number++)
        {
            _created.Forget(SegmentOf(log, number));
        }
    }

    private static string SegmentOf(string log, long number) => string.Create(CultureInfo.InvariantCulture, $"{log}#{number}");
}
