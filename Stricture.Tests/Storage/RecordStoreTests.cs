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
    public async Task A_crash_after_the_claim_is_completed_by_the_retry_at_the_claimed_key_even_after_midnight()
    {
        // 1. Store a run, then remove its payload: the state a crash between claim and payload leaves.
        var first = await _records.IngestAsync(Submission("late"), default);
        var payloadPath = Path.Combine(_directory.Path, first.Location);
        File.Delete(payloadPath);

        // 2. The client retries the next day.
        _clock.Advance(TimeSpan.FromMinutes(2));
        var retry = await _records.IngestAsync(Submission("late"), default);

        // 3. Same key (yesterday's date), same bytes as first acknowledged, and only one payload.
        Assert.Equal(IngestStatus.Accepted, retry.Status);
        Assert.Equal(first.Location, retry.Location);
        Assert.Contains("/date=2026-11-22/", retry.Location);
        Assert.Equal(first.Sha256, retry.Sha256);
        Assert.Equal(first.Sha256, Posts.Sha256(await File.ReadAllBytesAsync(payloadPath)));
        Assert.Single(Directory.EnumerateFiles(_directory.Path, "payload.json", SearchOption.AllDirectories));
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
