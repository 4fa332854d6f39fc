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

    /// <summary>
    /// Commits <paramref name="content"/> at <paramref name="key"/> only if the key is still as it was
    /// read: absent (<paramref name="currentETag"/> null) or at that version. The result says whether
    /// this writer won, and the content's SHA-256 and, when the driver knows it, its new ETag.
    /// </summary>
    public static async Task<ConditionalCommit> CommitIfUnchangedAsync(
        this IObjectStore store, string key, ReadOnlyMemory<byte> content, string? currentETag, CancellationToken cancellationToken)
    {
        await using var staged = await store.StageBytesAsync(content, cancellationToken);
        var won = currentETag is null
            ? await store.CommitIfAbsentAsync(staged, key, cancellationToken) == CreateOutcome.Created
            : await store.CommitIfMatchAsync(staged, key, currentETag, cancellationToken) == ReplaceOutcome.Replaced;
        return new ConditionalCommit(won, won ? staged.CommittedETag : null, staged.Sha256);
    }

    public static Task<StagedObject> StageBytesAsync(
        this IObjectStore store, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        store.StageAsync((stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken);
}
