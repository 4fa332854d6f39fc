using System.Diagnostics.Metrics;

namespace Stricture.Tests.Infrastructure;

/// <summary>Meters for components built by hand in tests (the server gets its factory from DI).</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <summary>The meters made here, so a listener can ignore those of other tests running at the same time.</summary>
    public IReadOnlyList<Meter> Meters => _meters;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
