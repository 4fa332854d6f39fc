using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Identity;
using Stricture.Storage.Queries;
using Stricture.Storage.Records;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>
/// Data written before records moved to <c>runs/run=&lt;id&gt;.json</c> keeps the dated layout: the
/// record at <c>date=&lt;D&gt;/run=&lt;id&gt;/payload.json</c> and, at the record key, a claim naming it.
/// Such a data directory is written here by hand, byte for byte as that layout had it, and every
/// path that reads runs must still serve it: reads by id, retries (completing a claim a crash left
/// alone), conflicts, and reconcile.
/// </summary>
public sealed class DatedLayoutTests : IDisposable
{
    private static readonly DateTimeOffset FirstReceived = new(2026, 11, 22, 23, 59, 0, TimeSpan.Zero);

    private readonly TestDirectory _directory = new();
    private readonly RecordStoreHarness _harness;

    public DatedLayoutTests() =>
        _harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), new FakeTimeProvider(FirstReceived.AddMinutes(5)), compactInBackground: false);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_dated_run_is_read_by_id_and_a_retry_answers_its_dated_location()
    {
        var (payloadKey, payload) = await StoreDatedAsync("old-run", withPayload: true);

        var stored = await new RunQueries(_harness.Store, _harness.Keys, _harness.Catalog).GetRunAsync(Run("old-run"), default);
        Assert.NotNull(stored);
        Assert.Equal(payloadKey, stored.Record.Key);
        Assert.Equal(payload, stored.Record.Content.ToArray());
        Assert.Equal(payloadKey, stored.Index.Key);
        Assert.NotNull(stored.DatedClaim);

        var retry = await _harness.Records.IngestAsync(RecordStoreHarness.Submission("old-run"), default);
        Assert.Equal(IngestStatus.Accepted, retry.Status);
        Assert.False(retry.Created);
        Assert.Equal(payloadKey, retry.Location);
        Assert.Equal(Posts.Sha256(payload), retry.Sha256);
        Assert.Equal(["old-run"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));

        var other = await _harness.Records.IngestAsync(RecordStoreHarness.Submission("old-run", summary: "other"), default);
        Assert.Equal(IngestStatus.Conflict, other.Status);
        Assert.Equal(payloadKey, other.Location);
        Assert.Equal(payload, await File.ReadAllBytesAsync(Path.Combine(_directory.Path, payloadKey)));
    }

    [Fact]
    public async Task A_claim_a_crash_left_without_its_payload_is_completed_by_the_retry_at_the_claimed_key_and_time()
    {
        var (payloadKey, payload) = await StoreDatedAsync("half-run", withPayload: false);
        Assert.Null(await new RunQueries(_harness.Store, _harness.Keys, _harness.Catalog).GetRunAsync(Run("half-run"), default));

        // The retry arrives on the next UTC day, and writes the bytes the first post would have.
        var retry = await _harness.Records.IngestAsync(RecordStoreHarness.Submission("half-run"), default);

        Assert.Equal(IngestStatus.Accepted, retry.Status);
        Assert.Equal(payloadKey, retry.Location);
        Assert.Equal(payload, await File.ReadAllBytesAsync(Path.Combine(_directory.Path, payloadKey)));
        Assert.Equal(Posts.Sha256(payload), retry.Sha256);
        Assert.Equal(["half-run"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
        Assert.Empty(await _harness.ManifestAsync("2026-11-23"));
    }

    [Fact]
    public async Task Reconcile_lists_dated_runs_and_records_of_one_service_each_under_its_day()
    {
        await StoreDatedAsync("old-run", withPayload: true);
        await StoreDatedAsync("never-completed", withPayload: false);
        await _harness.IngestAsync("new-run", generatedAt: "2026-11-24T10:00:00Z");
        await _harness.IngestAsync("newest-run", generatedAt: "2026-11-25T10:00:00Z");
        // Lose the whole catalog: reconcile rebuilds it from the runs alone.
        Directory.Delete(Path.Combine(_directory.Path, _harness.Keys.ServicePrefix(RecordStoreHarness.Service), "manifests"), recursive: true);
        File.Delete(Path.Combine(_directory.Path, _harness.Keys.Latest(RecordStoreHarness.Service)));

        var report = await _harness.Reconciler.ReconcileAsync(default);

        Assert.Equal((3, 0), (report.EntriesAdded, report.Unreadable));
        Assert.Equal(["old-run"], (await _harness.ManifestAsync("2026-11-22")).Select(entry => entry.RunId));
        Assert.Equal(["new-run"], (await _harness.ManifestAsync("2026-11-24")).Select(entry => entry.RunId));
        Assert.Equal(["newest-run"], (await _harness.ManifestAsync("2026-11-25")).Select(entry => entry.RunId));
        Assert.Equal("newest-run", (await _harness.LatestAsync())!.RunId);
        Assert.Equal(0, (await _harness.Reconciler.ReconcileAsync(default)).EntriesAdded);
    }

    private static RunIdentity Run(string runId) => RecordStoreHarness.Service.WithRun(runId);

    private Task<(string PayloadKey, byte[] Payload)> StoreDatedAsync(string runId, bool withPayload) =>
        DatedLayoutRun.StoreAsync(_harness, runId, FirstReceived, withPayload);
}
