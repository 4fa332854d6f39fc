namespace Stricture.Storage.ObjectStore;

public static class ObjectStoreExtensions
{
    /// <summary>Stages small in-memory content and creates it at <paramref name="key"/> if absent.</summary>
    public static async Task<CreateOutcome> CreateIfAbsentAsync(
        this IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var staged = await store.StageBytesAsync(content, cancellationToken);
        return await store.CommitIfAbsentAsync(staged, key, cancellationToken);
    }

    public static Task<StagedObject> StageBytesAsync(
        this IObjectStore store, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        store.StageAsync((stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken);
}
