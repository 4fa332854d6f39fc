using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Telemetry;

namespace Stricture.Storage.Catalog;

/// <summary>
/// A day's manifest as an append-only log: each append creates one new, small, immutable object,
/// <c>manifests/date=D/seg=N.jsonl</c>, with a conditional create, so an append costs the same
/// however many runs the day already holds, and nothing is ever rewritten.
///
/// Segments are numbered densely from 1. A writer creates segment n only once it knows n - 1
/// exists (it created it, lost the create of it to another writer, or found it), so the segments
/// that exist are always 1..tip with no gap. A reader that reads upwards from the compaction mark
/// until the first missing number has therefore seen every segment whose create completed before
/// its read began: every run acknowledged before a query is in what the query reads, in this
/// process or any other sharing the store. A create that finds its number taken has lost a race
/// with another writer and moves on to the next number (counted as a lost race).
///
/// The number of the last segment each day is known to have is kept in memory as a hint (bounded;
/// losing it only costs a search), so an append is one create; without a hint, the tip is found
/// with a galloping search of existence checks from the compaction mark, O(log n) of them.
/// </summary>
public sealed class ManifestSegments(IObjectStore store, RecordKeys keys, StorageTelemetry telemetry)
{
    /// <summary>Lost races in a row before the tip is searched for again rather than walked to.</summary>
    private const int RacesBeforeSearch = 4;

    /// <summary>Upper bound on the appends a busy day can make this one lose, before it gives up as unavailable.</summary>
    private const int MaxAttempts = 1024;

    // The days' tips and the segments this process created, until folded (AppendedSegments).
    private readonly AppendedSegments<ManifestEntry> _appended = new(content => ManifestDocument.Parse(content.Span));

    /// <summary>
    /// Appends <paramref name="entries"/> as the day's next segment; returns its number once it is
    /// durable, and how many numbers other writers took first. <paramref name="compactedThrough"/>
    /// reads the day's compaction mark, from which the tip is searched when this process knows none.
    /// </summary>
    public async Task<(long Number, int RacesLost)> AppendAsync(
        ServiceIdentity service, DateOnly day, IReadOnlyCollection<ManifestEntry> entries, Func<Task<long>> compactedThrough,
        CancellationToken cancellationToken)
    {
        var dayKey = keys.Manifest(service, day);
        var content = ManifestDocument.Serialize([.. entries.Order(RunOrder.Instance)]);
        await using var staged = await store.StageBytesAsync(content, cancellationToken);
        var known = _appended.TryGetTip(dayKey, out var hint) ? hint : await FindTipAsync(service, day, await compactedThrough(), cancellationToken);
        var racesInARow = 0;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var number = known + 1;
            if (await store.CommitIfAbsentAsync(staged, keys.ManifestSegment(service, day, number), cancellationToken) == CreateOutcome.Created)
            {
                _appended.Created(dayKey, number, content);
                return (number, attempt - 1);
            }
            telemetry.RecordLostRace("segment");
            // Segment `number` exists, so the next one may be created. Far behind: search, do not walk.
            known = number;
            if (++racesInARow == RacesBeforeSearch)
            {
                known = await FindTipAsync(service, day, number, cancellationToken);
                racesInARow = 0;
            }
        }
        throw new ObjectStoreUnavailableException($"'{dayKey}' gained {MaxAttempts} segments from other writers while this one tried to append; retry later.");
    }

    /// <summary>The last segment number this process knows the day to have (0 when it knows none): every segment up to it exists.</summary>
    public long KnownTip(ServiceIdentity service, DateOnly day) => _appended.Tip(keys.Manifest(service, day));

    /// <summary>The entries of the day's segment <paramref name="number"/> if this process created it and still holds them, in the order written.</summary>
    public List<ManifestEntry>? Created(ServiceIdentity service, DateOnly day, long number) => _appended.EntriesOf(keys.Manifest(service, day), number);

    /// <summary>Drops the copies of the day's segments up to <paramref name="through"/>, once a compaction has folded them.</summary>
    public void Folded(ServiceIdentity service, DateOnly day, long after, long through) => _appended.Folded(keys.Manifest(service, day), after, through);

    /// <summary>
    /// The number of the day's last segment, searching upwards from <paramref name="known"/> (0, or a
    /// number known to exist): double the step while segments exist, then bisect. Existence is
    /// monotone because numbering is dense.
    /// </summary>
    private Task<long> FindTipAsync(ServiceIdentity service, DateOnly day, long known, CancellationToken cancellationToken) =>
        DenseSequence.FindTipAsync(known, async number => await store.GetInfoAsync(keys.ManifestSegment(service, day, number), cancellationToken) is not null);
}
