using System.Text;
using System.Text.Json;

namespace Stricture.Storage.Catalog;

/// <summary>
/// A canonical manifest (written by <see cref="ManifestDocument.Serialize"/>) as its lines' byte
/// ranges, so runs can be merged into it without deserializing the runs it already lists: a day
/// of 100,000 runs is a 30 MB file, and turning each line into an object for every compaction
/// costs the CPU and the garbage of 100,000 objects, where splicing the new lines in between the
/// old ones costs one scan for line ends and run ids and a copy.
///
/// Why the splice gives the bytes of a full merge: each line is the serialization of its run (the
/// file is canonical), the lines are in <see cref="RunOrder"/> and run ids are unique, so inserting
/// each new run's line before the first line that sorts after it gives the canonical file of the
/// union. A run's place is found by bisection, reading only the fields that order it.
/// </summary>
internal static class ManifestLines
{
    private static ReadOnlySpan<byte> RunIdPrefix => "{\"run_id\":\""u8;

    /// <summary>
    /// <paramref name="content"/> with the lines of <paramref name="additions"/> whose run ids it does
    /// not list yet, each once, in their places (<paramref name="merged"/> null when it lists them
    /// all). False when the content is not in the canonical shape (a line not starting with its run
    /// id, a blank line, no final newline): the caller must parse it in full.
    /// </summary>
    public static bool TryMerge(ReadOnlySpan<byte> content, IReadOnlyCollection<ManifestEntry> additions, out byte[]? merged)
    {
        merged = null;
        if (IndexLines(content) is not { } lines)
        {
            return false;
        }
        var fresh = Unlisted(content, lines, additions);
        if (fresh.Count == 0)
        {
            return true;
        }
        fresh.Sort(RunOrder.Instance);
        var inserts = new List<(int Before, byte[] Line)>(fresh.Count);
        foreach (var entry in fresh)
        {
            inserts.Add((PlaceOf(content, lines, entry), LineOf(entry)));
        }
        merged = new byte[content.Length + inserts.Sum(insert => insert.Line.Length)];
        var written = 0;
        var copied = 0; // bytes of content copied so far
        foreach (var (before, line) in inserts)
        {
            var upTo = before < lines.Count ? lines[before].Start : content.Length;
            content[copied..upTo].CopyTo(merged.AsSpan(written));
            written += upTo - copied;
            copied = upTo;
            line.CopyTo(merged.AsSpan(written));
            written += line.Length;
        }
        content[copied..].CopyTo(merged.AsSpan(written));
        return true;
    }

    /// <summary>Each line's start and length (without its newline); null when the content is not canonical.</summary>
    private static List<(int Start, int Length)>? IndexLines(ReadOnlySpan<byte> content)
    {
        var lines = new List<(int, int)>(content.Length / 256 + 1);
        var offset = 0;
        while (offset < content.Length)
        {
            var end = content[offset..].IndexOf((byte)'\n');
            if (end < 0 || RunIdLength(content.Slice(offset, end)) < 0)
            {
                return null;
            }
            lines.Add((offset, end));
            offset += end + 1;
        }
        return lines;
    }

    /// <summary>The additions whose run ids no line lists, each run id once (the first addition that has it).</summary>
    private static List<ManifestEntry> Unlisted(ReadOnlySpan<byte> content, List<(int Start, int Length)> lines, IReadOnlyCollection<ManifestEntry> additions)
    {
        var byRunId = new Dictionary<string, ManifestEntry>(additions.Count, StringComparer.Ordinal);
        foreach (var entry in additions)
        {
            byRunId.TryAdd(entry.RunId, entry);
        }
        // Run ids are ASCII (the identifier grammar): each byte is one char.
        var lookup = byRunId.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> runId = stackalloc char[256];
        foreach (var (start, length) in lines)
        {
            var id = RunIdOf(content.Slice(start, length));
            if (id.Length <= runId.Length && Ascii.ToUtf16(id, runId, out var chars) == System.Buffers.OperationStatus.Done)
            {
                lookup.Remove(runId[..chars]);
            }
            else
            {
                byRunId.Remove(Encoding.UTF8.GetString(id));
            }
            if (byRunId.Count == 0)
            {
                break;
            }
        }
        return [.. byRunId.Values];
    }

    /// <summary>The index of the first line that sorts after <paramref name="entry"/> (the count when none does).</summary>
    private static int PlaceOf(ReadOnlySpan<byte> content, List<(int Start, int Length)> lines, ManifestEntry entry)
    {
        var occurredAt = Encoding.UTF8.GetBytes(entry.OccurredAt);
        var runId = Encoding.UTF8.GetBytes(entry.RunId);
        int low = 0, high = lines.Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var (start, length) = lines[middle];
            if (CompareLine(content.Slice(start, length), occurredAt, runId) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>
    /// A line's run against a run at (<paramref name="occurredAt"/>, <paramref name="runId"/>), in
    /// <see cref="RunOrder"/>: ordinal comparison of UTF-8 bytes is the ordinal comparison of the text
    /// for timestamps and run ids, which are ASCII.
    /// </summary>
    private static int CompareLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> occurredAt, ReadOnlySpan<byte> runId)
    {
        var byTime = OccurredAtOf(line).SequenceCompareTo(occurredAt);
        return byTime != 0 ? byTime : RunIdOf(line).SequenceCompareTo(runId);
    }

    private static byte[] LineOf(ManifestEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, CatalogJsonContext.Default.ManifestEntry);
        return [.. json, (byte)'\n'];
    }

    private static ReadOnlySpan<byte> RunIdOf(ReadOnlySpan<byte> line) => line.Slice(RunIdPrefix.Length, RunIdLength(line));

    /// <summary>The length of the run id a canonical line starts with (ids hold no quotes or escapes); -1 when the line does not start so.</summary>
    private static int RunIdLength(ReadOnlySpan<byte> line) =>
        line.StartsWith(RunIdPrefix) && line[RunIdPrefix.Length..].IndexOfAny((byte)'"', (byte)'\\') is var close and > 0
                                     && line[RunIdPrefix.Length + close] == (byte)'"'
            ? close
            : -1;

    /// <summary>The line's generated_at, else its received_at, as written (the canonical serializer leaves a null generated_at out).</summary>
    private static ReadOnlySpan<byte> OccurredAtOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read(); // the line's object
        ReadOnlySpan<byte> receivedAt = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isGeneratedAt = reader.ValueTextEquals("generated_at"u8);
            var isReceivedAt = !isGeneratedAt && reader.ValueTextEquals("received_at"u8);
            reader.Read();
            if (isGeneratedAt && reader.TokenType == JsonTokenType.String)
            {
                return reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            }
            if (isReceivedAt)
            {
                receivedAt = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            }
            reader.Skip();
        }
        return receivedAt;
    }
}
