using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stricture.Storage.Discovery;

/// <summary>The first line of a compacted shard: it holds every entry of the shard's segments 1..<see cref="Through"/>.</summary>
public sealed record ShardHeader([property: JsonPropertyName("through")] long Through);

/// <summary>
/// A shard's compacted document, <c>shard=NN.jsonl</c>: a header line saying through which segment
/// it holds everything, then one JSON line per entry in its format's order. Header and entries are
/// one object, replaced by compare-and-swap, so a reader sees both from the same compaction.
/// A segment is the same without the header.
/// </summary>
public static class ShardDocument
{
    public static (long Through, List<OrgRunEntry> Entries) Parse(ReadOnlySpan<byte> content, bool withHeader)
    {
        var entries = new List<OrgRunEntry>();
        long? through = withHeader ? null : 0;
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            if (through is null)
            {
                through = (JsonSerializer.Deserialize(line, DiscoveryJsonContext.Default.ShardHeader)
                           ?? throw new JsonException("A shard's header is null.")).Through;
                continue;
            }
            entries.Add(JsonSerializer.Deserialize(line, DiscoveryJsonContext.Default.OrgRunEntry)
                        ?? throw new JsonException("A shard line is null."));
        }
        return (through ?? 0, entries);
    }

    /// <summary>The mark in a compacted document's header line, read without parsing its entries (0 for no document).</summary>
    public static long ReadThrough(ReadOnlySpan<byte> content)
    {
        var end = content.IndexOf((byte)'\n');
        var header = end < 0 ? content : content[..end];
        return header.Trim(" \t\r"u8).IsEmpty
            ? 0
            : (JsonSerializer.Deserialize(header, DiscoveryJsonContext.Default.ShardHeader) ?? throw new JsonException("A shard's header is null.")).Through;
    }

    /// <summary>
    /// The compacted document <paramref name="current"/> (null: none yet) with <paramref name="fresh"/>
    /// merged in and its mark at <paramref name="through"/>, or null when that changes nothing: the
    /// bytes <see cref="Serialize"/> would write for <see cref="Merge"/>'s result.
    /// <para>
    /// When the format never replaces an entry and every fresh entry sorts after the document's last
    /// one (a log of runs mostly grows at its end), the new document is the old one's lines with the
    /// fresh lines after them: only the header and the last line are parsed, so folding costs a copy
    /// of the document, not a parse and a serialization of every entry in it (a busy day's drift shard
    /// holds thousands). Otherwise the entries are spliced into the old lines (<see cref="ShardSplice"/>:
    /// a directory shard's few changed services rewritten, the others copied), and only where that
    /// declines is the whole document parsed and merged.
    /// </para>
    /// </summary>
    public static byte[]? Fold(ReadOnlyMemory<byte>? current, long through, IEnumerable<OrgRunEntry> fresh, ShardFormat format)
    {
        var additions = fresh.ToList();
        var body = current is { } content ? Body(content.Span) : [];
        if (format.AppendOnly && SortedAfter(body, additions, format) is { } appended)
        {
            using var buffer = new MemoryStream(body.Length + 64 + appended.Count * 320);
            JsonSerializer.Serialize(buffer, new ShardHeader(through), DiscoveryJsonContext.Default.ShardHeader);
            buffer.WriteByte((byte)'\n');
            buffer.Write(body);
            foreach (var entry in appended)
            {
                JsonSerializer.Serialize(buffer, entry, DiscoveryJsonContext.Default.OrgRunEntry);
                buffer.WriteByte((byte)'\n');
            }
            return appended.Count == 0 && current is { } unchanged && ReadThrough(unchanged.Span) == through ? null : buffer.ToArray();
        }
        if (current is { } document && format.AppendOnly && ShardSplice.TryInsert(body, through, additions, format, out var inserted, out var added))
        {
            return !added && ReadThrough(document.Span) == through ? null : inserted;
        }
        if (current is { } existing && ShardSplice.TryFold(body, through, additions, format, out var spliced, out var changed))
        {
            return !changed && ReadThrough(existing.Span) == through ? null : spliced;
        }
        var (currentThrough, entries) = current is { } whole ? Parse(whole.Span, withHeader: true) : (0, []);
        var merged = Merge(entries, additions, format);
        return merged is null && through == currentThrough && current is not null ? null : Serialize(through, merged ?? entries);
    }

    /// <summary>The lines after the header.</summary>
    private static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> content)
    {
        var end = content.IndexOf((byte)'\n');
        return end < 0 ? [] : content[(end + 1)..];
    }

    /// <summary>
    /// <paramref name="additions"/> without repeats, in the format's order, when each sorts strictly
    /// after the last line of <paramref name="body"/> (so none is already there); else null.
    /// </summary>
    private static List<OrgRunEntry>? SortedAfter(ReadOnlySpan<byte> body, List<OrgRunEntry> additions, ShardFormat format)
    {
        var unique = additions.DistinctBy(format.Identity, StringComparer.Ordinal).ToList();
        format.Sort(unique);
        var trimmed = body.TrimEnd("\n\r \t"u8);
        if (unique.Count == 0 || trimmed.IsEmpty)
        {
            return unique;
        }
        var lastLine = trimmed[(trimmed.LastIndexOf((byte)'\n') + 1)..];
        var last = JsonSerializer.Deserialize(lastLine, DiscoveryJsonContext.Default.OrgRunEntry) ?? throw new JsonException("A shard line is null.");
        return format.Compare(unique[0], last) > 0 ? unique : null;
    }

    public static byte[] Serialize(long? through, IReadOnlyList<OrgRunEntry> entries)
    {
        using var buffer = new MemoryStream(64 + entries.Count * 320);
        if (through is { } header)
        {
            JsonSerializer.Serialize(buffer, new ShardHeader(header), DiscoveryJsonContext.Default.ShardHeader);
            buffer.WriteByte((byte)'\n');
        }
        foreach (var entry in entries)
        {
            JsonSerializer.Serialize(buffer, entry, DiscoveryJsonContext.Default.OrgRunEntry);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <paramref name="existing"/> with <paramref name="additions"/> merged in by the format's identity
    /// (a newer entry replaces an older one where the format says so), in the format's order; null
    /// when nothing changed.
    /// </summary>
    public static List<OrgRunEntry>? Merge(IReadOnlyList<OrgRunEntry> existing, IEnumerable<OrgRunEntry> additions, ShardFormat format)
    {
        var byIdentity = new Dictionary<string, OrgRunEntry>(existing.Count, StringComparer.Ordinal);
        foreach (var entry in existing)
        {
            byIdentity[format.Identity(entry)] = entry;
        }
        var changed = false;
        foreach (var entry in additions)
        {
            var identity = format.Identity(entry);
            if (!byIdentity.TryGetValue(identity, out var current) || format.Replaces(entry, current))
            {
                byIdentity[identity] = entry;
                changed = true;
            }
        }
        if (!changed)
        {
            return null;
        }
        var merged = byIdentity.Values.ToList();
        format.Sort(merged);
        return merged;
    }
}
