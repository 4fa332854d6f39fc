using Amazon.S3.Model;
using Stricture.Storage.S3;

namespace Stricture.Bench;

/// <summary>
/// The baseline of the mirror comparison: raw PutObject of the same records, with no Stricture code
/// in the way. For each run, a conditional PUT (<c>If-None-Match: *</c>) of its record, exactly the
/// bytes and key the replicator copies. The
/// request has the driver's shape (plain signed body, content type, <c>x-amz-meta-sha256</c>) and
/// the client comes from the product's <see cref="S3ClientFactory"/>; the bytes are sent from
/// memory, read from the data directory before the clock starts, where the replicator reads them
/// from disk and uploads from a staged temp file (part of what it costs). As many runs are in flight
/// as the replicator copies at once. The replicator, idle meanwhile, is metered as the server.
/// </summary>
internal sealed class RawRecordPuts(S3Bucket bucket, int concurrency, TimeSpan timeout, ServerProcess replicator, S3TestServer store)
{
    public string Name => "record PUTs";

    public async Task<MirrorPhase> RunAsync(IReadOnlyList<SpooledRun> runs, CancellationToken cancellationToken)
    {
        var before = RgwCounters.Read(store.AdminSocket);
        var next = -1;
        var done = 0;
        Exception? failure = null;
        var meter = new CpuMeter(replicator);

        async Task WriterAsync()
        {
            while (meter.Elapsed < timeout && !cancellationToken.IsCancellationRequested && Volatile.Read(ref failure) is null)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= runs.Count)
                {
                    return;
                }
                try
                {
                    await PutAsync(runs[index].Record, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Any failure (after the SDK's own retries) stops the baseline: a partial number would flatter the ratio.
                    Interlocked.CompareExchange(ref failure, exception, null);
                    return;
                }
                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WriterAsync, cancellationToken)));
        var cpu = meter.Stop();
        var after = RgwCounters.Read(store.AdminSocket);
        if (failure is not null)
        {
            throw new InvalidOperationException($"{Name} failed: {failure.GetType().Name}: {failure.Message}", failure);
        }
        if (done != runs.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Name}: {done} of {runs.Count} runs within {timeout.TotalSeconds:0} s.");
        }
        return new MirrorPhase(done, cpu, before is not null && after is not null ? after - before : null);
    }

    private Task PutAsync(ObjectBytes source, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket.Name,
            Key = source.Key,
            InputStream = new MemoryStream(source.Content, writable: false),
            ContentType = "application/json",
            UseChunkEncoding = false,
            IfNoneMatch = "*",
        };
        request.Metadata[S3ObjectStore.Sha256MetadataKey] = source.Sha256;
        return bucket.Client.PutObjectAsync(request, cancellationToken);
    }
}
