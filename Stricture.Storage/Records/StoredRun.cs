using Stricture.Storage.Catalog;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Records;

/// <summary>
/// A run as it is stored. <see cref="Record"/> is its record (the envelope); <see cref="Index"/> is
/// its claim on the run id: read from the record's server fields, or, for a run kept in the dated
/// layout, from its own claim object (<see cref="DatedClaim"/>, which the record's key names).
/// </summary>
public sealed record StoredRun(RunIndexEntry Index, StoredObject Record, StoredObject? DatedClaim)
{
    /// <summary>
    /// The run whose record key (<see cref="Keys.RecordKeys.Record"/>) is <paramref name="recordKey"/>:
    /// one read, or two for a run in the dated layout. Null when no such run was stored, including a
    /// dated-layout claim whose payload was never created (a post that never completed).
    /// </summary>
    public static async Task<StoredRun?> ReadAsync(IObjectStore store, string recordKey, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(recordKey, cancellationToken) is not { } stored)
        {
            return null;
        }
        var claim = ClaimOf(stored);
        if (claim.Key == stored.Key)
        {
            return new StoredRun(claim, stored, DatedClaim: null);
        }
        return await store.ReadAsync(claim.Key, cancellationToken) is { } payload ? new StoredRun(claim, payload, stored) : null;
    }

    /// <summary>
    /// The claim an object at a record key holds: a record's own server fields (whose
    /// <see cref="RunIndexEntry.Key"/> is the record's key), or a dated-layout claim (which names its payload's key).
    /// </summary>
    public static RunIndexEntry ClaimOf(StoredObject stored) =>
        EnvelopeReader.IsRecord(stored) ? EnvelopeReader.ToIndexEntry(stored) : RunIndexEntry.Parse(stored.Content.Span);
}
