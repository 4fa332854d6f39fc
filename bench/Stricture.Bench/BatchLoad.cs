using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Stricture.Bench;

/// <summary>
/// Closed-loop load on POST /v1/artifacts/batch: a few concurrent clients, each sending its next batch
/// of <see cref="ItemsPerBatch"/> posts as soon as the previous one is answered, until a fixed number
/// of items is done. The items are exactly the single-post load's bodies (<see cref="ArtifactBodies"/>,
/// ~4 KiB, each with its own run id), so items/s compares with posts/s like for like. Every item must
/// come back 202, or the slice fails.
/// </summary>
internal sealed class BatchLoad(ServerProcess server, BenchOptions options) : IDisposable
{
    public const int ItemsPerBatch = 100;

    /// <summary>Batches in flight at once: two keep the server busy while one answer travels back.</summary>
    public const int Clients = 2;

    private readonly HttpClient _client = IngestLoad.NewClient(server.BaseAddress, Clients);

    private readonly byte[] _artifact = ArtifactBodies.Artifact(ArtifactBodies.ArtifactBytesFor(IngestLoad.BodyBytes, ArtifactBodies.RunId("m00", 0))).Json;

    public Task<IngestSlice> RunSliceAsync(string phase, int items, CancellationToken cancellationToken)
    {
        var batches = (items + ItemsPerBatch - 1) / ItemsPerBatch;
        var next = -1;
        var failures = new List<string>();
        var meter = new CpuMeter(server);
        var latencies = new long[batches];

        async Task ClientAsync()
        {
            while (meter.Elapsed < options.PhaseTimeout && !cancellationToken.IsCancellationRequested)
            {
                var batch = Interlocked.Increment(ref next);
                if (batch >= batches)
                {
                    return;
                }
                var first = batch * ItemsPerBatch;
                var count = Math.Min(ItemsPerBatch, items - first);
                using var content = Body(phase, first, count);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await _client.PostAsync("v1/artifacts/batch", content, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                latencies[batch] = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                var accepted = response.StatusCode == HttpStatusCode.OK
                    ? JsonDocument.Parse(answer).RootElement.GetProperty("results").EnumerateArray().Count(result => result.GetProperty("status").GetInt32() == 202)
                    : 0;
                if (accepted != count)
                {
                    lock (failures)
                    {
                        failures.Add($"batch {batch}: {(int)response.StatusCode}, {accepted} of {count} accepted");
                    }
                }
            }
        }

        return RunAsync();

        async Task<IngestSlice> RunAsync()
        {
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
            var cpu = meter.Stop();
            cancellationToken.ThrowIfCancellationRequested();
            if (next < batches)
            {
                throw new TimeoutException($"Batches ({phase}) did not finish within {options.PhaseTimeout.TotalSeconds:0} s.");
            }
            return new IngestSlice(items, cpu, latencies, failures.Count, failures.Take(5).ToList());
        }
    }

    /// <summary>{"items": [...]} of the single-post bodies for run ids <paramref name="first"/> onwards.</summary>
    private ByteArrayContent Body(string phase, int first, int count)
    {
        using var body = new MemoryStream(count * (IngestLoad.BodyBytes + 1) + 16);
        body.Write("{\"items\":["u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                body.WriteByte((byte)',');
            }
            body.Write(ArtifactBodies.Head(ArtifactBodies.RunId(phase, first + i)));
            body.Write(_artifact);
            body.Write(ArtifactBodies.Tail);
        }
        body.Write("]}"u8);
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public void Dispose() => _client.Dispose();
}
