using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Filesystem;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>The record store's crash windows, driven step by step.</summary>
public sealed class RecordStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));
    private readonly RecordStore _records;

    public RecordStoreTests() => _records = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), _clock).Records;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_run_is_one_object_and_a_retry_after_midnight_adopts_it_at_its_key_and_its_day()
    {
        var first = await _records.IngestAsync(Submission("late"), default);
        Assert.Equal("stricture/v1/org=acme/project=p/service=s/runs/run=late.json", first.Location);

        // The client retries the next day (UTC): the record's key does not depend on the day.
        _clock.Advance(TimeSpan.FromMinutes(2));
        var retry = await _records.IngestAsync(Submission("late"), default);

        Assert.Equal(IngestStatus.Accepted, retry.Status);
        Assert.False(retry.Created, "the retry adopts the stored record");
        Assert.Equal(first.Location, retry.Location);
        Assert.Equal(first.Sha256, retry.Sha256);
        Assert.Equal(first.Sha256, Posts.Sha256(await File.ReadAllBytesAsync(Path.Combine(_directory.Path, first.Location))));
        // One object for the run, and no dated folder: the day is the manifest's business only.
        var runFiles = Directory.EnumerateFiles(_directory.Path, "*.json", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/manifests/", StringComparison.Ordinal) && !path.EndsWith("/latest.json", StringComparison.Ordinal) &&
                           path.Contains("/service=s/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal([Path.Combine(_directory.Path, first.Location)], runFiles);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "stricture/v1/org=acme/project=p/service=s/date=2026-11-22")));
    }

    [Fact]
    public async Task A_corrupted_payload_is_never_acknowledged_as_the_record()
    {
        var first = await _records.IngestAsync(Submission("corrupt"), default);
        var path = Path.Combine(_directory.Path, first.Location);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^3] ^= 0x20;
        File.Delete(path);
        await File.WriteAllBytesAsync(path, bytes);

        var failure = await Assert.ThrowsAsync<ObjectIntegrityException>(() => _records.IngestAsync(Submission("corrupt"), default));
        Assert.Equal(first.Location, failure.Key);
    }

    [Fact]
    public async Task The_envelope_is_a_pure_function_of_content_run_id_and_received_at()
    {
        var a = await _records.IngestAsync(Submission("pure-a"), default);
        var b = await _records.IngestAsync(Submission("pure-a", summary: "same"), default);
        Assert.Equal(IngestStatus.Accepted, b.Status);
        Assert.Equal(a.Sha256, b.Sha256);
    }

    private static RunSubmission Submission(string runId, string summary = "same") => RecordStoreHarness.Submission(runId, summary);
}
