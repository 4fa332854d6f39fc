using Stricture.Storage.Drift;
using Stricture.Storage.Filesystem;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Discovery;

/// <summary>Drift summaries in the catalog and the organization-level objects, on the filesystem driver, without HTTP.</summary>
public sealed class DriftCatalogTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 22);
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_manifest_entry_and_latest_pointer_carries_the_drift_of_its_diff_zeros_for_no_changes_and_none_without_a_diff()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        await harness.IngestAsync("high", "2026-11-22T10:00:00Z", diff: "diff-high.json");
        await harness.IngestAsync("stated", "2026-11-22T10:01:00Z", diff: "diff-summary-only.json");
        await harness.IngestAsync("calm", "2026-11-22T10:02:00Z", diff: "diff-none.json");
        await harness.IngestAsync("plain", "2026-11-22T10:03:00Z");

        var manifest = (await harness.ManifestAsync("2026-11-22")).ToDictionary(entry => entry.RunId, entry => entry.Drift);

        Assert.Equal((7, 3, 2, 1, 1, DriftSummary.FromChanges), (manifest["high"]!.Total, manifest["high"]!.High, manifest["high"]!.Medium,
            manifest["high"]!.Low, manifest["high"]!.Info, manifest["high"]!.Basis));
        Assert.Equal((5, 1, DriftSummary.FromSummary), (manifest["stated"]!.Total, manifest["stated"]!.High, manifest["stated"]!.Basis));
        Assert.True(manifest["calm"] is { Total: 0, High: 0, Medium: 0, Low: 0, Info: 0 }, "a diff with no changes is zeros, not nothing");
        Assert.Null(manifest["plain"]);
        Assert.Null((await harness.LatestAsync())!.Drift);
    }

    [Fact]
    public async Task A_manifest_written_before_drift_summaries_existed_still_reads_its_runs_without_one()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        var key = harness.Keys.Manifest(RecordStoreHarness.Service, Day);
        var path = Path.Combine(_directory.Path, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path,
            "{\"run_id\":\"old\",\"key\":\"stricture/v1/org=acme/project=p/service=s/date=2026-11-22/run=old/payload.json\"," +
            "\"sha256\":\"" + new string('a', 64) + "\",\"size\":10,\"received_at\":\"2026-11-22T09:00:00.0000000Z\"}\n");
        await harness.IngestAsync("new", "2026-11-22T10:00:00Z", diff: "diff-high.json");

        var manifest = await harness.ManifestAsync("2026-11-22");

        Assert.Equal(["old", "new"], manifest.Select(entry => entry.RunId));
        Assert.Null(manifest[0].Drift);
        Assert.Equal(3, manifest[1].Drift!.High);
    }

    [Fact]
    public async Task A_post_writes_one_directory_segment_and_one_drift_segment_however_many_services_the_organization_has()
    {
        var harness = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        for (var i = 0; i < 40; i++)
        {
            await harness.IngestAsync($"r{i}", $"2026-11-22T10:{i:D2}:00Z", service: $"svc-{i:D2}", diff: "diff-high.json");
        }
        var before = await OrgObjectsAsync(harness);

        await harness.IngestAsync("one-more", "2026-11-22T11:00:00Z", service: "svc-07", diff: "diff-high.json");

        var added = (await OrgObjectsAsync(harness)).Except(before).ToList();
        Assert.True(added.Count == 2 && added.All(key => key.Contains("/seg=", StringComparison.Ordinal)),
            $"a post must add exactly one directory segment and one drift segment, added: {string.Join(", ", added)}");
    }

    [Fact]
    public async Task Two_processes_recording_forty_services_each_at_once_lose_no_service_and_no_drifted_run_before_or_after_compaction()
    {
        // Two catalogs on one data directory stand for two processes: they share no memory, only the store.
        var first = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        var second = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).IngestAsync($"r{i:D2}", $"2026-11-22T10:{i % 60:D2}:{i / 60:D2}Z", service: $"svc-{i:D2}",
                diff: i % 4 == 0 ? "diff-high.json" : "diff-none.json"))));

        foreach (var compacted in new[] { false, true })
        {
            if (compacted)
            {
                await first.Catalog.Organizations.CompactAllAsync("acme", [Day], default);
            }
            var services = await second.Catalog.Organizations.ReadServicesAsync("acme", default);
            Assert.True(services.Count == 80, $"every service must be listed (compacted: {compacted}), found {services.Count}");
            var drifted = await second.Catalog.Organizations.ReadDriftDayAsync("acme", Day, default);
            Assert.True(drifted.Select(run => run.RunId).Order().SequenceEqual(Enumerable.Range(0, 80).Where(i => i % 4 == 0).Select(i => $"r{i:D2}")),
                $"every drifted run, and only those, must be indexed (compacted: {compacted})");
        }
    }

    [Fact]
    public async Task A_reader_that_kept_a_parsed_directory_sees_what_another_process_compacted_into_it_since()
    {
        var reader = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        var writer = new RecordStoreHarness(new FileSystemObjectStore(_directory.Path), compactInBackground: false);
        await writer.IngestAsync("first", "2026-11-22T10:00:00Z", service: "svc-a");
        await writer.Catalog.Organizations.CompactAllAsync("acme", [Day], default);
        Assert.Equal(["svc-a"], (await reader.Catalog.Organizations.ReadServicesAsync("acme", default)).Select(entry => entry.Service));

        // Every service lands in one of 8 shards: 16 new ones change the compacted documents the reader has parsed.
        foreach (var i in Enumerable.Range(0, 16))
        {
            await writer.IngestAsync($"later-{i:D2}", "2026-11-22T11:00:00Z", service: $"svc-{i:D2}");
        }
        await writer.Catalog.Organizations.CompactAllAsync("acme", [Day], default);

        var services = (await reader.Catalog.Organizations.ReadServicesAsync("acme", default)).Select(entry => entry.Service).ToList();
        Assert.True(services.Count == 17, $"the reader must see all 17 services after the compaction, saw {services.Count}");
    }

    private static async Task<List<string>> OrgObjectsAsync(RecordStoreHarness harness) =>
        (await OrgScenario.DerivedKeysAsync(harness.Store))
        .Where(key => key.Contains("/services/", StringComparison.Ordinal) || key.Contains("/drift/", StringComparison.Ordinal))
        .ToList();
}
