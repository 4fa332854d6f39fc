using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>The storage contract on the filesystem driver, in each of its flush modes.</summary>
public abstract class FileSystemObjectStoreContract(FlushMode flushMode) : ObjectStoreContract
{
    private readonly TestDirectory _directory = new();

    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new FileSystemObjectStore(_directory.Path, flushMode));

    protected override async Task CorruptAsync(string key)
    {
        // Rewrite in place: same inode, so the recorded SHA-256 (an extended attribute) stays.
        await using var file = new FileStream(Path.Combine(_directory.Path, key), FileMode.Open, FileAccess.ReadWrite);
        file.Position = 2;
        file.WriteByte((byte)'X');
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}

public sealed class FileSystemObjectStoreContractTests() : FileSystemObjectStoreContract(FlushMode.Fsync);

/// <summary>Group commit through syncfs(2).</summary>
public sealed class FileSystemSyncfsObjectStoreContractTests() : FileSystemObjectStoreContract(FlushMode.Syncfs);
