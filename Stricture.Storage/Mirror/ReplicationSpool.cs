using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Mirror;

/// <summary>
/// Mirror mode's durable queue of runs to copy to the object store, in <c>&lt;data dir&gt;/.spool/</c>
/// on the same volume as the records, kept through a filesystem store of its own (the one way this
/// folder is touched). Ingest appends one entry per accepted post before it answers (a durable
/// create-if-absent); the replicator lists entries oldest first and deletes each only once its run
/// is in the bucket and verified. An entry's key is its spool time then a hash of the run's key, so
/// key order is arrival order, and the same run spooled twice in one tick is one entry. A run
/// spooled twice is copied twice, which is harmless: every copy is a conditional create or a merge.
///
/// Entries are deleted without a flush: a deletion a crash undoes (including an entry that the
/// spool's commit log restores) only means one more idempotent copy.
/// </summary>
public sealed class ReplicationSpool : IAcceptedRunLog, IDisposable
{
    public const string DirectoryName = ".spool";

    private const string PendingPrefix = "pending/";
    private const string QuarantinePrefix = "quarantine/";

    private readonly FileSystemObjectStore _entries;
    private readonly TimeProvider _time;

    public ReplicationSpool(string dataDirectory, TimeProvider time)
    {
        Root = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        // Ingest and the replicator both append: a start-up recovery must not replay the other's live log.
        _entries = new FileSystemObjectStore(Root, CommitLog.DefaultRotateBytes, prepareSpareLogs: true, sharedFolder: true);
        _time = time;
    }

    public string Root { get; }

    /// <summary>The folder pending entries are created in (what a replicator may watch for arrivals).</summary>
    public string PendingDirectory => Path.Combine(Root, PendingPrefix.TrimEnd('/'));

    public async Task AppendAsync(string runKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runKey)))[..16];
        await _entries.CreateIfAbsentAsync($"{PendingPrefix}{now.UtcTicks:D19}-{hash}", Encoding.UTF8.GetBytes(runKey), cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> pending entries, oldest first (keys list in arrival order), passing
    /// over those whose entry key <paramref name="skip"/> holds.
    /// </summary>
    public async Task<IReadOnlyList<SpoolEntry>> ListPendingAsync(int max, Func<string, bool>? skip, CancellationToken cancellationToken)
    {
        var entries = new List<SpoolEntry>(max);
        foreach (var key in _entries.EnumerateKeys(PendingPrefix).Where(key => skip?.Invoke(key) != true).Take(max).ToList())
        {
            // Read through the driver, which checks the entry against its recorded SHA-256.
            if (await _entries.ReadAsync(key, cancellationToken) is { } stored)
            {
                entries.Add(new SpoolEntry(key, Encoding.UTF8.GetString(stored.Content.Span)));
            }
        }
        return entries;
    }

    /// <summary>The run keys of every pending entry (reads them all: for occasional scans, not per copy).</summary>
    public async Task<HashSet<string>> PendingRunKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _entries.EnumerateKeys(PendingPrefix).ToList())
        {
            // Null when retired meanwhile.
            if (await _entries.ReadAsync(key, cancellationToken) is { } stored)
            {
                keys.Add(Encoding.UTF8.GetString(stored.Content.Span));
            }
        }
        return keys;
    }

    /// <summary>How many entries are pending, and when the oldest was spooled (null when none).</summary>
    public (int Count, DateTimeOffset? Oldest) Backlog()
    {
        string? oldest = null;
        var count = 0;
        foreach (var key in _entries.EnumerateKeys(PendingPrefix))
        {
            oldest ??= key;
            count++;
        }
        return (count, oldest is null ? null : SpooledAtOf(oldest));
    }

    /// <summary>The run is in the object store: the entry is done.</summary>
    public void Retire(SpoolEntry entry) => _entries.Delete(entry.EntryKey);

    /// <summary>The run cannot be copied as it is (see the log): keep the entry aside, out of the queue, for an operator.</summary>
    public void Quarantine(SpoolEntry entry) => _entries.Move(entry.EntryKey, QuarantinePrefix + entry.EntryKey[PendingPrefix.Length..]);

    /// <summary>Entries set aside by <see cref="Quarantine"/>.</summary>
    public int QuarantinedCount() => _entries.EnumerateKeys(QuarantinePrefix).Count();

    /// <summary>
    /// At ingest's start-up, before it appends: restores entries from the commit logs of processes that
    /// died (not from a running replicator's) and removes temp files. A running replicator's catch-up
    /// append whose temp file goes fails, and the replicator retries it.
    /// </summary>
    public StartupRecovery Recover() => _entries.Recover();

    public void Dispose() => _entries.Dispose();

    private static DateTimeOffset SpooledAtOf(string entryKey) =>
        new(long.Parse(entryKey.AsSpan(PendingPrefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
