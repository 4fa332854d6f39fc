namespace Stricture.Storage.ObjectStore;

public enum CreateOutcome
{
    Created,
    AlreadyExists,
}

/// <summary>
/// A create whose outcome is decided (<see cref="IObjectStore.BeginCommitIfAbsentAsync"/>):
/// <see cref="Completion"/> ends once the content is durable and visible; it is already complete
/// for <see cref="CreateOutcome.AlreadyExists"/>.
/// </summary>
public sealed record PendingCreate(CreateOutcome Outcome, Task Completion);

public enum ReplaceOutcome
{
    Replaced,
    /// <summary>The key holds another version than the expected ETag.</summary>
    PreconditionFailed,
    /// <summary>The key does not exist.</summary>
    NotFound,
}

/// <summary>
/// A whole object as read back. <see cref="ETag"/> is an opaque version token for compare-and-swap;
/// <see cref="Sha256"/> is the lowercase hex SHA-256 of <see cref="Content"/>, already checked against
/// the hash recorded when the object was written.
/// </summary>
public sealed record StoredObject(string Key, ReadOnlyMemory<byte> Content, string ETag, string Sha256);

/// <summary>
/// What a store knows of an object without reading it: its size, and the SHA-256 recorded when it
/// was written (null for an object written by something other than Stricture).
/// </summary>
public sealed record ObjectInfo(string Key, long Length, string? Sha256);

/// <summary>One page of a listing; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record ObjectListing(IReadOnlyList<string> Keys, string? ContinuationToken);

/// <summary>The store could not be reached or failed transiently; the caller may retry later.</summary>
public sealed class ObjectStoreUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);

/// <summary>What <see cref="ObjectStoreExtensions.CommitIfUnchangedAsync"/> did: whether it won, the new ETag when known, the content's SHA-256.</summary>
public sealed record ConditionalCommit(bool Won, string? ETag, string Sha256);
