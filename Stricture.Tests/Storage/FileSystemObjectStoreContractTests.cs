using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

public sealed class FileSystemObjectStoreContractTests : ObjectStoreContract
{
    private readonly TestDirectory _directory = new();

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new FileSystemObjectStore(_directory.Path));

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
