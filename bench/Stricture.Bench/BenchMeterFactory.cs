using System.Diagnostics.Metrics;

namespace Stricture.Bench;

/// <summary>The storage layer's meter needs a factory; the server's comes from its host, this one is private to the benchmark.</summary>
internal sealed class BenchMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
