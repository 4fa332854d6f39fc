using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Filesystem;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>The pool of replaced files the filesystem driver rewrites as temp files: when a file may be reused, and how much it keeps.</summary>
public sealed class RecycledFilesTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_returned_file_is_handed_out_only_after_the_delay_oldest_first()
    {
        var pool = new RecycledFiles(_clock, TimeSpan.FromSeconds(5));
        pool.Return(File("first", 10), 10);
        _clock.Advance(TimeSpan.FromSeconds(1));
        pool.Return(File("second", 10), 10);

        Assert.Null(pool.Take());
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.EndsWith("first", pool.Take());
        Assert.Null(pool.Take()); // the second left its key a second later: not yet
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.EndsWith("second", pool.Take());
    }

    [Fact]
    public void Large_files_and_files_past_the_byte_budget_are_deleted_not_kept()
    {
        var pool = new RecycledFiles(_clock, TimeSpan.Zero);
        var large = File("large", RecycledFiles.MaxRecycledBytes + 1);
        pool.Return(large, RecycledFiles.MaxRecycledBytes + 1);
        Assert.False(System.IO.File.Exists(large), "a file over the size limit is deleted");

        var kept = new List<string>();
        for (var i = 0; i * RecycledFiles.MaxRecycledBytes < RecycledFiles.MaxKeptBytes; i++)
        {
            kept.Add(File($"kept-{i}", 1));
            pool.Return(kept[^1], RecycledFiles.MaxRecycledBytes); // stated length: what the budget counts
        }
        var over = File("over", 1);
        pool.Return(over, RecycledFiles.MaxRecycledBytes);
        Assert.False(System.IO.File.Exists(over), "a file past the byte budget is deleted");
        Assert.All(kept, path => Assert.True(System.IO.File.Exists(path)));

        Assert.NotNull(pool.Take());
        var fits = File("fits", 1);
        pool.Return(fits, RecycledFiles.MaxRecycledBytes);
        Assert.True(System.IO.File.Exists(fits), "a taken file frees its share of the budget");
    }

    private string File(string name, long length)
    {
        var path = Path.Combine(_directory.Path, name);
        using var file = System.IO.File.Create(path);
        file.SetLength(Math.Min(length, 16));
        return path;
    }
}
