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
    /// lacks, or null when it lacks none. A file this code wrote gets the new runs' lines spliced in
    /// between its own, which are not parsed (<see cref="ManifestLines"/>); the result is the bytes a
    /// full merge gives, because the current bytes are themselves canonical. Anything else is parsed
    /// and merged in full.
    /// </summary>
    public static byte[]? MergeInto(ReadOnlySpan<byte> current, IReadOnlyCollection<ManifestEntry> additions) =>
        ManifestLines.TryMerge(current, additions, out var spliced)
            ? spliced
            : Merge(Parse(current), additions) is { } merged ? Serialize(merged) : null;

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
