namespace Stricture.Storage.Filesystem;

/// <summary>What <see cref="FileSystemObjectStore.Recover"/> found after the previous process: files restored from its commit log, temp files removed.</summary>
public sealed record StartupRecovery(int RestoredFromLog, int RemovedStagingFiles);
