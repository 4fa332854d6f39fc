using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>Staged uploads live in process-private folders; a killed process's folder is removed by the next one.</summary>
public sealed class S3StagingTests
{
    [Fact]
    public void Staging_folders_of_dead_processes_are_removed_and_live_ones_kept()
    {
        using var root = new TestDirectory();
        var dead = Path.Combine(root.Path, "stricture-staging-999999999-0123456789abcdef");
        var live = Path.Combine(root.Path, $"stricture-staging-{Environment.ProcessId}-0123456789abcdef");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "upload.tmp"), "left by a killed process");
        Directory.CreateDirectory(live);

        var settings = new S3StoreSettings
        {
            Bucket = "unused",
            Endpoint = new Uri("http://127.0.0.1:9"),
            AccessKey = "k",
            SecretKey = "s",
            StagingDirectory = root.Path,
        };
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);

        Assert.False(Directory.Exists(dead), "a dead process's staging folder must be removed");
        Assert.True(Directory.Exists(live), "a live process's staging folder must be kept");
    }
}
