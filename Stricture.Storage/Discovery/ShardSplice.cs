using System.Text;
using System.Text.Json;

namespace Stricture.Storage.Discovery;

/// <summary>
/// Folds entries into a compacted shard document by splicing lines: the lines it keeps are copied as
/// they are, and only the entries it adds or replaces are serialized. Of each line it reads only the
/// scalar members before <c>drift</c> (project, service, run id, key, times, commit), which is all a
/// <see cref="ShardFormat"/>'s identity, order and replace rule look at. A service directory shard
/// holds one line per service, so a compaction that changes a few services no longer parses and
/// writes out every one of them.
/// <para>
/// The result is exactly <see cref="ShardDocument.Serialize"/> of <see cref="ShardDocument.Merge"/>'s
/// entries. Where that cannot be shown cheaply (lines out of order, a repeated identity, two entries
/// the order cannot tell apart, a replacement that would move), it declines and the caller parses
/// the whole document.
/// </para>
/// </summary>
internal static class ShardSplice
{
    /// <summary>
    /// The document of header <paramref name="through"/> and <paramref name="body"/> (the current
    /// document's lines) with <paramref name="additions"/> merged in, as <paramref name="merged"/>, and
    /// whether any entry changed; false when the document must be parsed instead.
    /// </summary>
    public static bool TryFold(ReadOnlySpan<byte> body, long through, IReadOnlyList<OrgRunEntry> additions, ShardFormat format,
        out byte[] merged, out bool changed)
    {
        merged = [];
        changed = false;
        if (!TryReadLines(body, format, out var lines, out var lineOf))
        {
            return false;
        }

        // The additions that change something, as Merge decides it: a new identity, or one that
        // replaces the current entry (a line, or an earlier addition).
        var winners = new Dictionary<string, OrgRunEntry>(StringComparer.Ordinal);
        foreach (var addition in additions)
        {
            var identity = format.Identity(addition);
            OrgRunEntry? current = winners.TryGetValue(identity, out var won) ? won
                : lineOf.TryGetValue(identity, out var index) ? lines[index].Head : null;
            if (current is null || format.Replaces(addition, current))
            {
                winners[identity] = addition;
            }
        }
        changed = winners.Count > 0;

        var replaced = new Dictionary<int, OrgRunEntry>();
        var inserted = new List<OrgRunEntry>();
        foreach (var (identity, entry) in winners)
        {
            if (!lineOf.TryGetValue(identity, out var index))
            {
                inserted.Add(entry);
            }
            else if (format.Compare(entry, lines[index].Head) == 0)
            {
                replaced[index] = entry;
            }
            else
            {
                return false; // the replacement sorts elsewhere: the document must be re-sorted
            }
        }
        format.Sort(inserted);
        for (var i = 1; i < inserted.Count; i++)
        {
            if (format.Compare(inserted[i - 1], inserted[i]) == 0)
            {
                return false;
            }
        }

        using var buffer = new MemoryStream(body.Length + 64 + winners.Count * 512);
        JsonSerializer.Serialize(buffer, new ShardHeader(through), DiscoveryJsonContext.Default.ShardHeader);
        buffer.WriteByte((byte)'\n');
        var next = 0;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            for (; next < inserted.Count; next++)
            {
                var order = format.Compare(inserted[next], line.Head);
                if (order == 0)
                {
                    return false;
                }
                if (order > 0)
                {
                    break;
                }
                WriteEntry(buffer, inserted[next]);
            }
            if (replaced.TryGetValue(index, out var replacement))
            {
                WriteEntry(buffer, replacement);
            }
            else
            {
                buffer.Write(body.Slice(line.Start, line.Length));
                buffer.WriteByte((byte)'\n');
            }
        }
        for (; next < inserted.Count; next++)
        {
            WriteEntry(buffer, inserted[next]);
        }
        merged = buffer.ToArray();
        return true;
    }

    /// <summary>
    /// For a format that only ever adds entries (the drift and commit indexes), the document with the
    /// additions it lacks inserted in order, found by binary search: of the lines kept only the few
    /// the searches visit are read (their head), and the rest is copied between the insertion points,
    /// so folding a few runs into a shard of thousands costs a copy, not a parse of every line. An
    /// addition that compares equal to a line is that line's run (the order ends with the identity),
    /// and the first entry stays. False when a visited line is not an entry this code wrote, or the
    /// visited lines are out of order: the caller then folds by <see cref="TryFold"/> or a full merge.
    /// </summary>
    public static bool TryInsert(ReadOnlySpan<byte> body, long through, IReadOnlyList<OrgRunEntry> additions, ShardFormat format,
        out byte[] merged, out bool changed)
    {
        merged = [];
        changed = false;
        if (body.Length > 0 && body[^1] != (byte)'\n')
        {
            return false; // a last line without its newline: not what Serialize writes
        }
        var starts = new List<int>();
        for (var start = 0; start < body.Length;)
        {
            var end = body[start..].IndexOf((byte)'\n');
            starts.Add(start);
            start = end < 0 ? body.Length : start + end + 1;
        }
        var heads = new Dictionary<int, OrgRunEntry>();
        OrgRunEntry? HeadOf(int index, ReadOnlySpan<byte> body)
        {
            if (heads.TryGetValue(index, out var known))
            {
                return known;
            }
            var end = index + 1 < starts.Count ? starts[index + 1] - 1 : body.Length;
            var head = ReadHead(body[starts[index]..end].TrimEnd("\r\n"u8));
            if (head is not null)
            {
                heads[index] = head;
            }
            return head;
        }

        var sorted = additions.DistinctBy(format.Identity, StringComparer.Ordinal).ToList();
        format.Sort(sorted);
        var insertions = new List<(int Before, OrgRunEntry Entry)>();
        var low = 0;
        foreach (var entry in sorted)
        {
            // The first line at or after the entry, among the lines after the previous insertion.
            var high = starts.Count;
            while (low < high)
            {
                var middle = low + (high - low) / 2;
                if (HeadOf(middle, body) is not { } head)
                {
                    return false;
                }
                if (format.Compare(head, entry) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            if (low < starts.Count)
            {
                if (HeadOf(low, body) is not { } at)
                {
                    return false;
                }
                if (format.Compare(at, entry) == 0)
                {
                    continue; // already there: the first entry stays
                }
            }
            if (low > 0 && (HeadOf(low - 1, body) is not { } before || format.Compare(before, entry) >= 0))
            {
                return false; // not in order where the entry goes: not a document this code wrote
            }
            insertions.Add((low, entry));
        }

        changed = insertions.Count > 0;
        using var buffer = new MemoryStream(body.Length + 64 + insertions.Count * 512);
        JsonSerializer.Serialize(buffer, new ShardHeader(through), DiscoveryJsonContext.Default.ShardHeader);
        buffer.WriteByte((byte)'\n');
        var copied = 0;
        foreach (var (before, entry) in insertions)
        {
            var at = before < starts.Count ? starts[before] : body.Length;
            buffer.Write(body[copied..at]);
            copied = at;
            WriteEntry(buffer, entry);
        }
        buffer.Write(body[copied..]);
        merged = buffer.ToArray();
        return true;
    }

    private static void WriteEntry(MemoryStream buffer, OrgRunEntry entry)
    {
        JsonSerializer.Serialize(buffer, entry, DiscoveryJsonContext.Default.OrgRunEntry);
        buffer.WriteByte((byte)'\n');
    }

    /// <summary>
    /// The body's lines with the head of each, and each identity's line; false when a line is blank,
    /// an identity repeats or the lines are not strictly in the format's order (not what Serialize writes).
    /// </summary>
    private static bool TryReadLines(ReadOnlySpan<byte> body, ShardFormat format,
        out List<(int Start, int Length, OrgRunEntry Head)> lines, out Dictionary<string, int> lineOf)
    {
        lines = [];
        lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = 0;
        while (start < body.Length)
        {
            var end = body[start..].IndexOf((byte)'\n');
            var length = end < 0 ? body.Length - start : end;
            var line = body.Slice(start, length);
            if (line.Trim(" \t\r"u8).IsEmpty || ReadHead(line) is not { } head)
            {
                return false;
            }
            if (lines.Count > 0 && format.Compare(lines[^1].Head, head) >= 0)
            {
                return false;
            }
            if (!lineOf.TryAdd(format.Identity(head), lines.Count))
            {
                return false;
            }
            lines.Add((start, length, head));
            start += length + 1;
        }
        return true;
    }

    // The members ReadHead reads, in the order OrgRunEntry is written: every string member before drift.
    private static readonly byte[][] HeadMembers =
        [.. new[] { "project", "service", "run_id", "key", "received_at", "generated_at", "commit_sha" }.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The line's entry with only its leading string members (none of drift, impact, SHA-256, size); null when it does not start as an entry does.</summary>
    private static OrgRunEntry? ReadHead(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        var values = new string?[HeadMembers.Length];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = 0;
            while (member < HeadMembers.Length && !reader.ValueTextEquals(HeadMembers[member]))
            {
                member++;
            }
            if (member == HeadMembers.Length || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                break; // drift, impact and what follows them: nothing identity or order reads
            }
            values[member] = reader.GetString();
        }
        return values is [{ } project, { } service, { } runId, { } key, { } receivedAt, var generatedAt, var commitSha]
            ? new OrgRunEntry(project, service, runId, key, receivedAt, generatedAt, commitSha, null)
            : null;
    }
}
