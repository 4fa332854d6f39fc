using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Stricture.Storage.S3;

namespace Stricture.Bench;

/// <summary>
/// What the S3 server can do for the write every stored record needs, with no Stricture server in
/// the way: a conditional PUT (<c>If-None-Match: *</c>) of a 4 KiB body to a new key, shaped like
/// the s3 driver's own (one plain signed body, never aws-chunked; content type; SHA-256 metadata),
/// by the same number of concurrent writers as ingest has clients. The body is in memory, where the
/// driver uploads from its staged temp file: the staging is part of what the server costs.
/// The Stricture server, idle while the baseline runs, is passed so its CPU and the S3 server's are measured.
/// </summary>
internal sealed class RawPutBaseline(S3Bucket bucket, BenchOptions options, ServerProcess server) : IBaseline
{
    public const int BodyBytes = 4096;

    private static readonly byte[] Content = CreateContent();
    private static readonly string ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(Content));

    public string Operations => "PUTs";

    public Task WarmUpAsync(int count, CancellationToken cancellationToken) => PutManyAsync("warm-up", count, cancellationToken);

    public Task<BaselineSlice> RunSliceAsync(int slice, int count, CancellationToken cancellationToken) =>
        PutManyAsync($"s{slice:D2}", count, cancellationToken);

    private async Task<BaselineSlice> PutManyAsync(string phase, int count, CancellationToken cancellationToken)
    {
        var latencies = new long[count];
        var next = -1;
        var done = 0;
        Exception? failure = null;
        var timeout = options.PhaseTimeout;
        var meter = new CpuMeter(server);

        async Task WriterAsync()
        {
            while (meter.Elapsed < timeout && !cancellationToken.IsCancellationRequested && Volatile.Read(ref failure) is null)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }
                var request = new PutObjectRequest
                {
                    BucketName = bucket.Name,
                    Key = $"raw/{phase}-{index:D8}",
                    InputStream = new MemoryStream(Content, writable: false),
                    ContentType = "application/json",
                    UseChunkEncoding = false,
                    IfNoneMatch = "*",
                };
                request.Metadata[S3ObjectStore.Sha256MetadataKey] = ContentSha256;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await bucket.Client.PutObjectAsync(request, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Any failure (after the SDK's own retries) stops the baseline: a partial number would flatter the ratio.
                    Interlocked.CompareExchange(ref failure, exception, null);
                    return;
                }
                latencies[index] = Stopwatch.GetTimestamp() - started;
                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(WriterAsync, cancellationToken)));
        var cpu = meter.Stop();
        if (failure is not null)
        {
            throw new InvalidOperationException($"Raw PUT ({phase}) failed: {failure.GetType().Name}: {failure.Message}", failure);
        }
        if (done != count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"Raw PUT ({phase}) did {done} of {count} PUTs within {timeout.TotalSeconds:0} s.");
        }
        return new BaselineSlice(done, cpu, latencies);
    }

    /// <summary>A JSON object of exactly BodyBytes bytes, as the envelopes ingest stores are JSON.</summary>
    private static byte[] CreateContent()
    {
        var random = new Random(42);
        var padding = new string([.. Enumerable.Range(0, BodyBytes - "{\"pad\":\"\"}".Length).Select(_ => (char)('a' + random.Next(26)))]);
        return System.Text.Encoding.ASCII.GetBytes($"{{\"pad\":\"{padding}\"}}");
    }
}
