using System.Globalization;
using Microsoft.Extensions.Logging;
using Stricture.Storage.Catalog;
using Stricture.Storage.Commits;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Discovery;

/// <summary>
/// The organization-level derived objects, kept beside each service's manifests and maintained by
/// the same steps (<see cref="RunCatalog.RecordAsync"/> calls <see cref="AppendAsync"/>):
/// <list type="bullet">
/// <item>the <b>service directory</b>: every project and service with its newest run (id, times,
/// commit, drift counts);</item>
/// <item>the <b>drift index</b> of each day: the runs whose drift is <c>low</c> or above, with their
/// first changes;</item>
/// <item>the <b>commit index</b> (<see cref="CommitIndex"/>): every run with a commit SHA, sharded by
/// the SHA's first characters instead of by service.</item>
/// </list>
/// Each is split into <see cref="OrgKeys.Shards"/> shards by service, each shard an append-only
/// <see cref="ShardLog"/>. Recording a run costs one segment create in its service's directory shard,
/// and one in its day's drift shard when it drifted, whatever the organization holds; concurrent
/// records of one shard in a process go into one segment, and posts from many services (or many
/// processes) spread over the shards instead of queueing on one compare-and-swap object. Compaction
/// folds a shard's segments in the background, after a pause that grows with how long the last one
/// took, as for manifests. Everything is derived from the payloads: <see cref="CatalogReconciler"/>
/// rebuilds it with <see cref="AddAsync"/>.
/// </summary>
public sealed partial class OrgCatalog
{
    /// <summary>The drift index keeps runs with at least one change of this severity or above.</summary>
    public const string IndexedSeverity = DriftSeverity.Low;

    private readonly OrgKeys _keys;
    private readonly ShardLog _log;

    /// <summary>
    /// The commit index's shards have a log of their own, so their many small documents never push the
    /// directory's and drift index's parsed documents out of the log's bounded cache.
    /// </summary>
    private readonly ShardLog _commitLog;
    private readonly ILogger _logger;
    private readonly bool _compactInBackground;
    private readonly KeyedBatcher<(OrgRunEntry Entry, ShardFormat Format)> _appends;
    private readonly KeyedBatcher<ShardFormat> _compactions;
    private readonly PacedCompactions _pacedCompactions = new();

    public OrgCatalog(IObjectStore store, RecordKeys keys, StorageTelemetry telemetry, ILogger logger, bool compactInBackground)
    {
        _keys = new OrgKeys(keys);
        _log = new ShardLog(store, telemetry);
        _commitLog = new ShardLog(store, telemetry);
        _logger = logger;
        _compactInBackground = compactInBackground;
        // Applied without the submitters' cancellation: a batch serves many requests.
        // Paced on a store several processes write (S3, R2), where every append is a request (KeyedBatcher).
        _appends = new(async (shardKey, batch) =>
        {
            await AppendShardAsync(shardKey, batch, CancellationToken.None);
            return false;
        }, paced: !store.HasSingleWriter);
        _compactions = new(async (shardKey, batch) =>
        {
            await CompactInBackgroundAsync(shardKey, batch[0]);
            return false;
        });
    }

    /// <summary>
    /// Records runs of one service and day: its newest in the directory, and those that drifted in
    /// the day's drift index. Durable on return, so a query made afterwards sees them.
    /// </summary>
    public Task AppendAsync(ServiceIdentity service, DateOnly day, IReadOnlyCollection<ManifestEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }
        var shard = OrgKeys.ShardOf(service.Project, service.Service);
        var newest = OrgRunEntry.From(service, entries.Max(RunOrder.Instance)!).WithoutChanges();
        var appends = new List<Task>
        {
            _appends.SubmitAsync(_keys.DirectoryShard(service.Organization, shard), (newest, ShardFormat.Directory)),
        };
        appends.AddRange(entries
            .Where(IsIndexed)
            .Select(entry => _appends.SubmitAsync(_keys.DriftShard(service.Organization, day, shard), (OrgRunEntry.From(service, entry), ShardFormat.DriftIndex))));
        appends.AddRange(entries
            .Where(entry => entry.CommitSha is not null)
            .Select(entry => _appends.SubmitAsync(CommitShardOf(service.Organization, entry.CommitSha!), (OrgRunEntry.WithContent(service, entry), CommitIndex.Format))));
        return Task.WhenAll(appends).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// What a rebuild adds: <paramref name="newestOfService"/> (when given) to the directory, and the
    /// drifted runs of <paramref name="day"/> to its drift index, folded straight into the compacted
    /// shards with their pending segments. Only adds or moves forward; safe beside running servers.
    /// </summary>
    public async Task AddAsync(
        ServiceIdentity service, DateOnly day, IReadOnlyList<ManifestEntry> dayEntries, ManifestEntry? newestOfService, CancellationToken cancellationToken)
    {
        var shard = OrgKeys.ShardOf(service.Project, service.Service);
        var drifted = dayEntries.Where(IsIndexed).Select(entry => OrgRunEntry.From(service, entry)).ToList();
        await _log.CompactAsync(_keys.DriftShard(service.Organization, day, shard), drifted, ShardFormat.DriftIndex, cancellationToken);
        foreach (var commitShard in dayEntries.Where(entry => entry.CommitSha is not null).GroupBy(entry => CommitShardOf(service.Organization, entry.CommitSha!)))
        {
            await _commitLog.CompactAsync(commitShard.Key, commitShard.Select(entry => OrgRunEntry.WithContent(service, entry)).ToList(), CommitIndex.Format, cancellationToken);
        }
        if (newestOfService is not null)
        {
            await _log.CompactAsync(_keys.DirectoryShard(service.Organization, shard),
                [OrgRunEntry.From(service, newestOfService).WithoutChanges()], ShardFormat.Directory, cancellationToken);
        }
    }

    /// <summary>Every service of the organization with its newest run, by project then service.</summary>
    public async Task<List<OrgRunEntry>> ReadServicesAsync(string organization, CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, OrgKeys.Shards).Select(shard =>
            _log.ReadAsync(_keys.DirectoryShard(organization, shard), ShardFormat.Directory, cancellationToken)));
        var services = shards.SelectMany(entries => entries).ToList();
        ShardFormat.Directory.Sort(services);
        return services;
    }

    /// <summary>The day's drifted runs (low or above), oldest first in <see cref="ShardFormat.ByOccurrence"/>.</summary>
    public async Task<List<OrgRunEntry>> ReadDriftDayAsync(string organization, DateOnly day, CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, OrgKeys.Shards).Select(shard =>
            _log.ReadAsync(_keys.DriftShard(organization, day, shard), ShardFormat.DriftIndex, cancellationToken)));
        var runs = shards.SelectMany(entries => entries).ToList();
        ShardFormat.DriftIndex.Sort(runs);
        return runs;
    }

    /// <summary>The runs of the commits starting with <paramref name="prefix"/> (lower-case hex, <see cref="CommitIndex.MinPrefixLength"/> or more), in <see cref="CommitIndex.ByCommit"/> order.</summary>
    public async Task<List<OrgRunEntry>> ReadCommitAsync(string organization, string prefix, CancellationToken cancellationToken)
    {
        var shard = await _commitLog.ReadAsync(CommitShardOf(organization, prefix), CommitIndex.Format, cancellationToken);
        return shard.Where(entry => entry.CommitSha!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Folds the pending segments of every commit shard of the organization now (tools and benchmarks).</summary>
    public async Task CompactCommitsAsync(string organization, CancellationToken cancellationToken)
    {
        var shards = Enumerable.Range(0, 1 << (4 * CommitIndex.ShardPrefixLength))
            .Select(shard => _keys.CommitShard(organization, shard.ToString("x" + CommitIndex.ShardPrefixLength, CultureInfo.InvariantCulture)));
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (shardKey, ct) => await _commitLog.CompactAsync(shardKey, [], CommitIndex.Format, ct));
    }

    /// <summary>Folds every shard's pending segments now (tools and tests; servers compact in the background).</summary>
    public async Task CompactAllAsync(string organization, IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var shard in Enumerable.Range(0, OrgKeys.Shards))
        {
            await _log.CompactAsync(_keys.DirectoryShard(organization, shard), [], ShardFormat.Directory, cancellationToken);
            foreach (var day in days)
            {
                await _log.CompactAsync(_keys.DriftShard(organization, day, shard), [], ShardFormat.DriftIndex, cancellationToken);
            }
        }
    }

    private ShardLog LogOf(ShardFormat format) => format == CommitIndex.Format ? _commitLog : _log;

    private string CommitShardOf(string organization, string commitSha) => _keys.CommitShard(organization, CommitIndex.ShardOf(commitSha));

    private static bool IsIndexed(ManifestEntry entry) => entry.Drift is { } drift && drift.Reaches(IndexedSeverity);

    private async Task AppendShardAsync(string shardKey, IReadOnlyList<(OrgRunEntry Entry, ShardFormat Format)> batch, CancellationToken cancellationToken)
    {
        var format = batch[0].Format;
        await LogOf(format).AppendAsync(shardKey, batch.Select(item => item.Entry).ToList(), format, cancellationToken);
        if (!_compactInBackground)
        {
            return;
        }
        var compaction = _compactions.SubmitAsync(shardKey, format);
        _ = compaction.ContinueWith(
            failed => LogCompactionFailed(_logger, failed.Exception!.GetBaseException(), shardKey),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private async Task CompactInBackgroundAsync(string shardKey, ShardFormat format)
    {
        await _pacedCompactions.RunAsync(shardKey,
            sized => LogOf(format).CompactAsync(shardKey, [], format, CancellationToken.None, fromMemory: true, sized));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting {ShardKey} failed; its segments stay readable and the next append or reconcile folds them in")]
    private static partial void LogCompactionFailed(ILogger logger, Exception exception, string shardKey);
}
