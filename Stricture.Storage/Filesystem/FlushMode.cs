namespace Stricture.Storage.Filesystem;

/// <summary>How the filesystem driver makes writes durable before it acknowledges them.</summary>
public enum FlushMode
{
    /// <summary>
    /// fsync(2) each staged file and each changed directory; concurrent writers into one directory
    /// share its fsync. Portable, and touches nothing but this server's files.
    /// </summary>
    Fsync,

    /// <summary>
    /// Group commit with syncfs(2): every write waits for one filesystem-wide flush that started
    /// after it, shared by all writes in flight, so a burst costs a few flushes instead of several
    /// fsyncs per record. Linux only; it also flushes other processes' dirty data on the same
    /// filesystem, so give the data directory its own volume.
    /// </summary>
    Syncfs,
}
