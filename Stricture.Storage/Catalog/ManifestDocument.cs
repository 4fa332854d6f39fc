using System.Text.Json;

namespace Stricture.Storage.Catalog;

/// <summary>
/// A day's manifest, <c>manifests/date=YYYY-MM-DD.jsonl</c>: one JSON line per run, in
/// <see cref="RunOrder"/>, each run once. The bytes are a function of the set of runs alone, so
/// merging in any order, or rebuilding from the payloads, gives the same file.
/// </summary>
public static class ManifestDocument
{
    public static List<ManifestEntry> Parse(ReadOnlySpan<byte> content)
    {
        var entries = new List<ManifestEntry>();
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (!line.Trim(" \t\r"u8).IsEmpty)
            {
                entries.Add(JsonSerializer.Deserialize(line, CatalogJsonContext.Default.ManifestEntry)
                            ?? throw new JsonException("A manifest line is null."));
            }
        }
        return entries;
    }

    /// <summary>
    /// The manifest <paramref name="current"/> with the runs of <paramref name="additions"/> it
    /// lacks, or null when it lacks none. Runs usually arrive in order, so when every new run sorts
    /// after the last line, their lines are appended to the current bytes without parsing the
    /// others; the result is the same bytes a full merge gives, because the current bytes are
    /// themselves canonical. Anything else takes the full merge.
    /// </summary>
    public static byte[]? MergeInto(ReadOnlySpan<byte> current, IReadOnlyCollection<ManifestEntry> additions)
    {
        if (ListedRunIds(current) is not { } listed)
        {
            return Merge(Parse(current), additions) is { } merged ? Serialize(merged) : null;
        }
        var fresh = additions.Where(entry => listed.Add(entry.RunId)).Order(RunOrder.Instance).ToList();
        if (fresh.Count == 0)
        {
            return null;
        }
        if (LastEntry(current) is { } last && RunOrder.Instance.Compare(fresh[0], last) <= 0)
        {
            return Serialize(Merge(Parse(current), fresh)!);
        }
        return [.. current, .. Serialize(fresh)];
    }

    /// <summary>
    /// The run ids of a manifest this code wrote, read from the start of each line (which is always
    /// <c>{"run_id":"&lt;id&gt;",</c>; ids hold no quotes) without parsing the rest; null when a line
    /// does not start so, and the caller must parse.
    /// </summary>
    private static HashSet<string>? ListedRunIds(ReadOnlySpan<byte> content)
    {
        var prefix = "{\"run_id\":\""u8;
        var runIds = new HashSet<string>(StringComparer.Ordinal);
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (!line.StartsWith(prefix) || line[prefix.Length..].IndexOf((byte)'"') is var close && close < 0)
            {
                return null;
            }
            runIds.Add(System.Text.Encoding.UTF8.GetString(line.Slice(prefix.Length, close)));
        }
        return runIds;
    }

    private static ManifestEntry? LastEntry(ReadOnlySpan<byte> content)
    {
        var trimmed = content.TrimEnd((byte)'\n');
        return trimmed.IsEmpty ? null : Parse(trimmed[(trimmed.LastIndexOf((byte)'\n') + 1)..]).Single();
    }

    /// <summary>
    /// Adds the runs of <paramref name="additions"/> that <paramref name="existing"/> lacks.
    /// Returns the merged, ordered list, or null when there is nothing to add.
    /// </summary>
    public static List<ManifestEntry>? Merge(IReadOnlyList<ManifestEntry> existing, IEnumerable<ManifestEntry> additions)
    {
        var known = existing.Select(entry => entry.RunId).ToHashSet(StringComparer.Ordinal);
        var added = additions.Where(entry => known.Add(entry.RunId)).ToList();
        if (added.Count == 0)
        {
            return null;
        }
        var merged = new List<ManifestEntry>(existing.Count + added.Count);
        merged.AddRange(existing);
        merged.AddRange(added);
        merged.Sort(RunOrder.Instance);
        return merged;
    }

    public static byte[] Serialize(IReadOnlyList<ManifestEntry> entries)
    {
        using var buffer = new MemoryStream(entries.Count * 320);
        foreach (var entry in entries)
        {
            JsonSerializer.Serialize(buffer, entry, CatalogJsonContext.Default.ManifestEntry);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }
}
