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
