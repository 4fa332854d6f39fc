using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Mirror;

/// <summary>
/// Mirror mode's durable queue of runs to copy to the object store, in <c>&lt;data dir&gt;/.spool/</c>
/// on the same volume as the records. Ingest appends one entry per accepted post before it
/// answers (a small file, created with the filesystem driver's durable create-if-absent); the
/// replicator lists entries oldest first and deletes each only once its run is in the bucket and
/// verified. An entry's name is its spool time then a hash of the key, so listing order is arrival
/// order, and the same run spooled twice in one tick is one entry. A run spooled twice is copied
/// twice, which is harmless: every copy is a conditional create or a merge.
///
/// Entries are deleted without a directory fsync: a deletion lost in a crash only means one more
/// (idempotent) copy.
/// </summary>
public sealed class ReplicationSpool : IAcceptedRunLog
{
    public const string DirectoryName = ".spool";

    private const string PendingPrefix = "pending/";
    private const string QuarantinePrefix = "quarantine/";

    private readonly FileSystemObjectStore _entries;
    private readonly TimeProvider _time;

    public ReplicationSpool(string dataDirectory, TimeProvider time)
    {
        Root = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        _entries = new FileSystemObjectStore(Root);
        _time = time;
        Directory.CreateDirectory(Path.Combine(Root, PendingPrefix));
    }

    public string Root { get; }

    public async Task AppendAsync(string payloadKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payloadKey)))[..16];
        await _entries.CreateIfAbsentAsync($"{PendingPrefix}{now.UtcTicks:D19}-{hash}", Encoding.UTF8.GetBytes(payloadKey), cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> pending entries, oldest first. One pass over the folder keeps
    /// only the oldest names seen (a bounded heap), so a pass costs O(backlog), not a sort of it:
    /// after an outage the backlog can be large, and it is listed once per batch.
    /// </summary>
    public async Task<IReadOnlyList<SpoolEntry>> ListPendingAsync(int max, CancellationToken cancellationToken)
    {
        var newestFirst = Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a));
        var oldest = new PriorityQueue<string, string>(max, newestFirst);
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, PendingPrefix)))
        {
            var name = Path.GetFileName(path);
            if (oldest.Count < max)
            {
                oldest.Enqueue(name, name);
            }
            else if (string.CompareOrdinal(name, oldest.Peek()) < 0)
            {
                oldest.DequeueEnqueue(name, name);
            }
        }
        var entries = new List<SpoolEntry>(oldest.Count);
        foreach (var key in oldest.UnorderedItems.Select(item => PendingPrefix + item.Element).Order(StringComparer.Ordinal))
        {
            // Read through the driver, which checks the entry against its recorded SHA-256.
            if (await _entries.ReadAsync(key, cancellationToken) is { } stored)
            {
                entries.Add(new SpoolEntry(key, Encoding.UTF8.GetString(stored.Content.Span)));
            }
        }
        return entries;
    }

    /// <summary>The payload keys of every pending entry (reads them all: for occasional scans, not per copy).</summary>
    public async Task<HashSet<string>> PendingPayloadKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, PendingPrefix)))
        {
            try
            {
                keys.Add(await File.ReadAllTextAsync(path, cancellationToken));
            }
            catch (FileNotFoundException)
            {
                // Retired meanwhile.
            }
        }
        return keys;
    }

    /// <summary>How many entries are pending, and when the oldest was spooled (null when none).</summary>
    public (int Count, DateTimeOffset? Oldest) Backlog()
    {
        var pending = Path.Combine(Root, PendingPrefix);
        var names = Directory.Exists(pending) ? Directory.EnumerateFiles(pending).Select(Path.GetFileName).ToList() : [];
        return (names.Count, names.Count == 0 ? null : SpooledAtOf(PendingPrefix + names.Min(StringComparer.Ordinal)));
    }

    /// <summary>The run is in the object store: the entry is done.</summary>
    public void Retire(SpoolEntry entry) => File.Delete(PathOf(entry.EntryKey));

    /// <summary>The run cannot be copied as it is (see the log): keep the entry aside, out of the queue, for an operator.</summary>
    public void Quarantine(SpoolEntry entry)
    {
        var target = PathOf(QuarantinePrefix + entry.EntryKey[PendingPrefix.Length..]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(PathOf(entry.EntryKey), target, overwrite: true);
    }

    /// <summary>Entries set aside by <see cref="Quarantine"/>.</summary>
    public int QuarantinedCount() =>
        Directory.Exists(Path.Combine(Root, QuarantinePrefix)) ? Directory.EnumerateFiles(Path.Combine(Root, QuarantinePrefix)).Count() : 0;

    /// <summary>Deletes temp files a crashed writer left; only while no other process appends (ingest holds the data directory's lock).</summary>
    public int RemoveLeftoverStagingFiles() => _entries.RemoveLeftoverStagingFiles();

    private string PathOf(string entryKey) => Path.Combine(Root, entryKey);

    private static DateTimeOffset SpooledAtOf(string entryKey) =>
        new(long.Parse(entryKey.AsSpan(PendingPrefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
