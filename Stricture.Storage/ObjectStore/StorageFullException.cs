namespace Stricture.Storage.ObjectStore;

/// <summary>
/// The store has no room for what was being written (on disk: ENOSPC). Raised by the driver that
/// knows how its medium reports it, so callers match a type rather than an errno. Nothing partial
/// is left behind: the write it interrupted was never committed.
/// </summary>
public sealed class StorageFullException(string message, Exception inner) : IOException(message, inner);
