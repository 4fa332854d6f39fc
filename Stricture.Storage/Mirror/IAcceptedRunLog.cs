namespace Stricture.Storage.Mirror;

/// <summary>
/// A durable log of accepted runs, appended to before a post is acknowledged. Mirror mode's
/// <see cref="ReplicationSpool"/> is one: what is appended is later copied to the object store.
/// </summary>
public interface IAcceptedRunLog
{
    /// <summary>Records that the run stored at <paramref name="runKey"/> was accepted; durable when it returns.</summary>
    Task AppendAsync(string runKey, CancellationToken cancellationToken);
}
