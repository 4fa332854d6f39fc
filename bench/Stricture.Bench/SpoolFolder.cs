using System.Globalization;
using Stricture.Storage.Mirror;

namespace Stricture.Bench;

/// <summary>One look at the spool: entries waiting, and the age of the oldest (zero when none waits).</summary>
internal readonly record struct SpoolSample(TimeSpan At, int Backlog, TimeSpan Lag);

/// <summary>
/// Mirror mode's spool as the benchmark sees it from outside the processes: the files in
/// <c>&lt;data&gt;/.spool/pending/</c>. An entry's name starts with the UTC ticks (19 digits) of
/// its spooling, so the smallest name is the oldest entry and its age is the replication lag, as
/// the replicator's own gauge defines it. Read from the names alone, with no product code, so the
/// measurement does not rest on what it measures.
/// </summary>
internal sealed class SpoolFolder(string dataDirectory)
{
    public string Pending { get; } = Path.Combine(Path.GetFullPath(dataDirectory), ReplicationSpool.DirectoryName, "pending");

    public string Quarantine { get; } = Path.Combine(Path.GetFullPath(dataDirectory), ReplicationSpool.DirectoryName, "quarantine");

    /// <summary>True when no entry waits: one directory read, cheap enough to poll every few milliseconds.</summary>
    public bool IsEmpty => !Directory.Exists(Pending) || !Directory.EnumerateFileSystemEntries(Pending).Any();

    public SpoolSample Sample(TimeSpan at)
    {
        var count = 0;
        string? oldest = null;
        if (Directory.Exists(Pending))
        {
            foreach (var path in Directory.EnumerateFiles(Pending))
            {
                var name = Path.GetFileName(path);
                count++;
                if (oldest is null || string.CompareOrdinal(name, oldest) < 0)
                {
                    oldest = name;
                }
            }
        }
        var lag = oldest is null ? TimeSpan.Zero : DateTimeOffset.UtcNow - SpooledAt(oldest);
        return new SpoolSample(at, count, lag < TimeSpan.Zero ? TimeSpan.Zero : lag);
    }

    /// <summary>Entries the replicator set aside as impossible to copy: any at all fails the run.</summary>
    public int QuarantinedCount() => Directory.Exists(Quarantine) ? Directory.EnumerateFiles(Quarantine).Count() : 0;

    /// <summary>Pending entry names in spool order (oldest first).</summary>
    public List<string> PendingNames() =>
        Directory.Exists(Pending) ? [.. Directory.EnumerateFiles(Pending).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)] : [];

    public static DateTimeOffset SpooledAt(string entryName) =>
        new(long.Parse(entryName.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
