using System.Text;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>What only the filesystem driver does: paths, staging clean-up, the data directory lock. The shared contract is in <see cref="ObjectStoreContract"/>.</summary>
public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_directory.Path);

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Disposing_uncommitted_staged_content_leaves_nothing_behind()
    {
        await using (await _store.StageBytesAsync(Bytes("abandoned"), default))
        {
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory.Path, ".staging"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_data_directory_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateIfAbsentAsync(key, Bytes("x"), default));
    }

    [Fact]
    public async Task Leftover_staging_files_are_removed_at_start_up()
    {
        var staging = Path.Combine(_directory.Path, ".staging");
        await File.WriteAllTextAsync(Path.Combine(staging, "a", "crashed-writer.tmp"), "partial");

        Assert.Equal(1, new FileSystemObjectStore(_directory.Path).Recover().RemovedStagingFiles);
        Assert.Empty(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_second_writer_process_cannot_take_the_data_directory()
    {
        using var first = DataDirectoryLock.Acquire(_directory.Path);
        var failure = Assert.Throws<InvalidOperationException>(() => DataDirectoryLock.Acquire(_directory.Path));
        Assert.Contains("in use by another Stricture server process", failure.Message);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
