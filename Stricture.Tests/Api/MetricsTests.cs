using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Api;

/// <summary>The ingest and storage instruments report what happened to each request.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Ingest_records_requests_by_outcome_bytes_latency_and_storage_write_time()
    {
        await using var server = IngestServer.Start();
        var scope = server.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this server's meters: other tests run servers in the same process.
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Meter.Name.StartsWith("Stricture.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => measurements.Add((i.Name, v, ToDictionary(t))));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => measurements.Add((i.Name, v, ToDictionary(t))));
        listener.Start();

        await server.Client.PostAsync(Posts.Valid(runId: "measured"));
        var bad = Posts.Valid();
        bad["colour"] = "blue";
        await server.Client.PostAsync(bad);
        await Task.Delay(100); // the last measurement is taken as the response completes

        var requests = measurements.Where(m => m.Instrument == "stricture.ingest.requests").ToList();
        Assert.Contains(requests, m => Equals(m.Tags["outcome"], "accepted") && Equals(m.Tags["http.response.status_code"], 202));
        Assert.Contains(requests, m => Equals(m.Tags["outcome"], "rejected") && Equals(m.Tags["http.response.status_code"], 400));
        Assert.Equal(2, measurements.Count(m => m.Instrument == "stricture.ingest.duration"));
        Assert.True(measurements.Where(m => m.Instrument == "stricture.ingest.received_bytes").Sum(m => m.Value) > 100);
        var write = Assert.Single(measurements, m => m.Instrument == "stricture.storage.write.duration");
        Assert.Equal("created", write.Tags["outcome"]);
        Assert.True(write.Value > 0);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }
        return result;
    }
}
