namespace Stricture.Bench;

/// <summary>
/// The side of a throughput comparison with no server in the way: the storage work one record
/// needs, done directly against the same store, in the same run and the same slices as ingest. The
/// ratio of the two then says what the server costs on top of the store itself, whatever the machine.
/// </summary>
internal interface IBaseline
{
    /// <summary>What one operation is, for progress lines ("durable writes", "PUTs").</summary>
    string Operations { get; }

    /// <summary>Operations that are not measured, as ingest gets its warm-up: first files, connections, JIT.</summary>
    Task WarmUpAsync(int count, CancellationToken cancellationToken);

    Task<BaselineSlice> RunSliceAsync(int slice, int count, CancellationToken cancellationToken);
}
