using System.Collections.Concurrent;
using System.Text.Json;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Mirror;

/// <summary>
/// Compares the local records tree with the bucket, key by key (both listed in order):
/// records (and dated-layout payloads and claims) must be in the bucket with the same SHA-256; each local day's
/// runs (its compacted manifest and segments, read as queries read them) must be among the bucket's
/// runs of that day (which may hold more, from other servers; each side segments and compacts on its
/// own, so only the runs compare); the bucket's latest pointer must not be older than the local one.
/// The organization-level objects (service directory, drift index) are left out: the replicator does
/// not maintain them in the bucket, where reconcile builds them. It also finds the
/// runs the bucket lacks, so the replicator can spool them again after a crash left them out.
///
/// A bucket's listing can lag what it stores (Ceph RGW, for one, completes an object's bucket-index
/// entry after it has answered the PUT, so a gateway killed in between can leave a stored object out
/// of listings until it repairs the entry). So a key the listing lacks is read by key before it is
/// called missing; one found there with the right SHA-256 is counted as unlisted, not as a difference.
/// </summary>
public sealed class MirrorVerifier(FileSystemObjectStore local, IObjectStore remote, RecordKeys keys)
{
    private const int ParallelChecks = 16;

    /// <summary>Every difference, as "kind key" lines; empty when the bucket holds everything the data directory does.</summary>
    public async Task<MirrorReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var differences = new ConcurrentBag<MirrorDifference>();
        var checkedKeys = 0;
        var unlisted = 0;
        var org = new Discovery.OrgKeys(keys);
        var joined = OrderedListing.LeftJoinAsync(
            DaysAsOneKey(local.KeysAsync(keys.Root, cancellationToken).Where(key => !org.IsOrgObject(key))),
            DaysAsOneKey(remote.KeysAsync(keys.Root, cancellationToken).Where(key => !org.IsOrgObject(key))), cancellationToken);
        await Parallel.ForEachAsync(joined,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelChecks, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                Interlocked.Increment(ref checkedKeys);
                if (!item.OnBothSides)
                {
                    switch (await CompareAsync(item.Key, ct))
                    {
                        case null:
                            Interlocked.Increment(ref unlisted);
                            break;
                        case "mismatch":
                            differences.Add(new MirrorDifference("mismatch", item.Key));
                            break;
                        default:
                            differences.Add(new MirrorDifference("missing", item.Key));
                            break;
                    }
                }
                else if (await CompareAsync(item.Key, ct) is { } kind)
                {
                    differences.Add(new MirrorDifference(kind, item.Key));
                }
            });
        return new MirrorReport(checkedKeys, differences.OrderBy(d => d.Key, StringComparer.Ordinal).ToList(), unlisted);
    }

    /// <summary>Local runs' keys the bucket does not have (neither listed nor readable by key), in key order.</summary>
    public async IAsyncEnumerable<string> RunsMissingRemotelyAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var localRuns = RunKeys(local.KeysAsync(keys.Root, cancellationToken));
        var remoteRuns = RunKeys(remote.KeysAsync(keys.Root, cancellationToken));
        await foreach (var (key, onBothSides) in OrderedListing.LeftJoinAsync(localRuns, remoteRuns, cancellationToken))
        {
            if (!onBothSides && await remote.GetInfoAsync(key, cancellationToken) is null && await IsRunAsync(key, cancellationToken))
            {
                yield return key;
            }
        }
    }

    /// <summary>A day's manifest keys (compacted manifest, segments, mark) as the one compacted-manifest key; the order is kept.</summary>
    private async IAsyncEnumerable<string> DaysAsOneKey(IAsyncEnumerable<string> allKeys)
    {
        string? previousDay = null;
        await foreach (var key in allKeys)
        {
            if (!keys.TryParseManifestDay(key, out _, out _, out var manifestKey))
            {
                yield return key;
            }
            else if (manifestKey != previousDay)
            {
                previousDay = manifestKey;
                yield return manifestKey;
            }
        }
    }

    /// <summary>
    /// A record, or a dated-layout payload; not a dated-layout claim (its payload's key stands for the
    /// run, and a claim whose payload was never created is no run to copy).
    /// </summary>
    private async Task<bool> IsRunAsync(string key, CancellationToken cancellationToken) =>
        !keys.TryParseRecord(key, out _) || (await local.ReadAsync(key, cancellationToken) is { } stored && EnvelopeReader.IsRecord(stored));

    /// <summary>Records, dated-layout payloads and their claims: every key the replicator copies for a run.</summary>
    private IAsyncEnumerable<string> RunKeys(IAsyncEnumerable<string> allKeys) =>
        allKeys.Where(key => keys.TryParseRun(key, out _));

    /// <returns>null when the bucket's object is right, else the kind of difference.</returns>
    private async Task<string?> CompareAsync(string key, CancellationToken cancellationToken)
    {
        if (keys.TryParseManifestDay(key, out var service, out var day, out _))
        {
            var localEntries = await new DayManifestReader(local, keys).ReadAsync(service, day, cancellationToken);
            var remoteRuns = (await new DayManifestReader(remote, keys).ReadAsync(service, day, cancellationToken)).Select(e => e.RunId).ToHashSet();
            return localEntries.All(entry => remoteRuns.Contains(entry.RunId)) ? null : "manifest-behind";
        }
        if (key.EndsWith("/latest.json", StringComparison.Ordinal))
        {
            var localLatest = Parse((await local.ReadAsync(key, cancellationToken))!);
            var remoteLatest = await remote.ReadAsync(key, cancellationToken) is { } stored ? Parse(stored) : null;
            return remoteLatest is not null && RunOrder.Instance.Compare(remoteLatest, localLatest) >= 0 ? null : "latest-behind";
        }
        var localInfo = await local.GetInfoAsync(key, cancellationToken);
        var remoteInfo = await remote.GetInfoAsync(key, cancellationToken);
        return remoteInfo is null ? "missing"
            : localInfo?.Sha256 is { } sha256 && remoteInfo.Sha256 == sha256 && remoteInfo.Length == localInfo.Length ? null
            : "mismatch";
    }

    private static ManifestEntry Parse(StoredObject stored) =>
        JsonSerializer.Deserialize(stored.Content.Span, CatalogJsonContext.Default.ManifestEntry) ?? throw new JsonException($"'{stored.Key}' is null.");
}

/// <summary>One key the bucket lacks or holds differently: <c>missing</c>, <c>mismatch</c>, <c>manifest-behind</c> or <c>latest-behind</c>.</summary>
public sealed record MirrorDifference(string Kind, string Key);

/// <summary>
/// What a verify compared and found. <paramref name="Unlisted"/> counts objects the bucket holds,
/// read by key with the right SHA-256, that its listing did not show (not differences).
/// </summary>
public sealed record MirrorReport(int CheckedKeys, IReadOnlyList<MirrorDifference> Differences, int Unlisted = 0);
