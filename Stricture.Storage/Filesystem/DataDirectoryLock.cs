namespace Stricture.Storage.Filesystem;

/// <summary>
/// An exclusive advisory lock (flock) on <c>&lt;data&gt;/.lock</c>, held for the life of the process
/// that writes a data directory. A second writer fails at start-up instead of racing the first;
/// the kernel releases the lock when the holder dies, even by SIGKILL.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _lockFile;

    private DataDirectoryLock(FileStream lockFile) => _lockFile = lockFile;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix.
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException(
                $"The data directory '{Path.GetFullPath(dataDirectory)}' is in use by another Stricture server process. " +
                "Stop that process or set STRICTURE_SERVER_DATA_DIR to another directory.", exception);
        }
    }

    public void Dispose() => _lockFile.Dispose();
}
