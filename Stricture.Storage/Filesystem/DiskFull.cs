using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>How a full disk shows up on Linux: an <see cref="IOException"/> whose HResult is ENOSPC.</summary>
internal static class DiskFull
{
    private const int ENOSPC = 28;

    public static bool Is(IOException exception) => exception is not StorageFullException && exception.HResult == ENOSPC;

    public static StorageFullException Exception(IOException exception) =>
        new("The data directory's disk is full: " + exception.Message, exception);
}
