using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Stricture.Storage.Telemetry;

/// <summary>The storage layer's meter and activity source ("Stricture.Storage").</summary>
public sealed class StorageTelemetry
{
    public const string Name = "Stricture.Storage";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _integrityFailures;
    private readonly Counter<long> _catalogUpdates;
    private readonly Counter<long> _lostRaces;

    public StorageTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _writeDuration = meter.CreateHistogram<double>(
            "stricture.storage.write.duration", unit: "s",
            description: "Time to store one run record durably (index entry and payload).");
        _integrityFailures = meter.CreateCounter<long>(
            "stricture.storage.integrity_failures", unit: "{object}",
            description: "Stored objects whose bytes did not match their recorded SHA-256.");
        _catalogUpdates = meter.CreateCounter<long>(
            "stricture.storage.catalog_updates", unit: "{update}",
            description: "Coalesced catalog writes (manifest segments, compactions, latest pointers), by object and whether they changed it.");
        _lostRaces = meter.CreateCounter<long>(
            "stricture.storage.catalog_lost_races", unit: "{race}",
            description: "Conditional catalog writes another writer got in before (each is retried), by object.");
    }

    public void RecordWrite(TimeSpan elapsed, string outcome) =>
        _writeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordIntegrityFailure() => _integrityFailures.Add(1);

    public void RecordLostRace(string target) => _lostRaces.Add(1, new KeyValuePair<string, object?>("target", target));

    public void RecordCatalogUpdate(string target, bool changed) =>
        _catalogUpdates.Add(1, new KeyValuePair<string, object?>("target", target), new KeyValuePair<string, object?>("changed", changed));
}
