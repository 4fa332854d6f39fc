using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stricture.Storage.Catalog;

/// <summary>
/// A day's compaction mark, <c>manifests/date=D/compacted.json</c>: <c>{"through":N}</c> says the
/// compacted manifest <c>manifests/date=D.jsonl</c> holds every entry of segments 1..N. It is
/// written only after that manifest, and only ever moves forward, so a reader that reads the mark
/// first, then the manifest and the segments after N, misses no entry (it may see some twice, which
/// a merge by run id absorbs).
/// </summary>
public static class CompactionMark
{
    public static long Parse(ReadOnlySpan<byte> content)
    {
        using var document = JsonDocument.Parse(content.ToArray());
        return document.RootElement.GetProperty("through").GetInt64();
    }

    public static byte[] Serialize(long through) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"through":{{through}}}"""));
}
