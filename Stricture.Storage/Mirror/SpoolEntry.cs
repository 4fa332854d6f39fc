namespace Stricture.Storage.Mirror;

/// <summary>One pending replication: the run stored at <see cref="RunKey"/>.</summary>
public sealed record SpoolEntry(string EntryKey, string RunKey);
