using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Storage;

/// <summary>
/// A full disk reaches the HTTP layer as a <see cref="StorageFullException"/> (507), recognised once
/// in the filesystem driver. /dev/full is the kernel's always-full device: a real ENOSPC.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public void The_kernels_no_space_error_is_recognised_as_a_full_disk()
    {
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            full.Write(new byte[4096]);
            full.Flush();
        });

        Assert.True(DiskFull.Is(error), $"ENOSPC must be recognised as a full disk: {error.Message} (HResult {error.HResult})");
        Assert.IsType<StorageFullException>(DiskFull.Exception(error));
    }

    [Fact]
    public void Other_io_errors_are_not_a_full_disk()
    {
        var error = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/nonexistent/stricture"));

        Assert.False(DiskFull.Is(error), "a missing file is not a full disk");
    }
}
