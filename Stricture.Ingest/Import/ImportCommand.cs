using Stricture.Ingest.Startup;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Import;

/// <summary>
/// <c>Stricture.Ingest import --from DIR</c>: brings the runs of an upstream Go server's data directory
/// into the configured store (fs, s3, r2, mirror), keeping each run's id, received_at and
/// generated_at (docs/migration.md). It lists every rename and every skipped file, shows progress
/// when its output is a terminal, and ends with a summary.
/// Exit codes: 0 done, 1 could not run (usage, configuration, storage), 2 done but some files were skipped.
/// </summary>
internal static class ImportCommand
{
    public const string Name = "import";

    public const int SomeSkipped = 2;

    private const string Usage = "usage: import --from <upstream data directory> [--SETTING=value ...]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["--from", var from, .. var settings] || from.StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{Name}: {Usage}");
            return StorageCommandHost.CouldNotRun;
        }
        if (!Directory.Exists(from))
        {
            Console.Error.WriteLine($"{Name}: '{from}' is not a directory; give the upstream server's STRICTURE_SERVER_DATA_DIR.");
            return StorageCommandHost.CouldNotRun;
        }

        return await StorageCommandHost.RunAsync(Name, settings, async services =>
        {
            var files = UpstreamDataDirectory.ListRuns(from);
            using var progress = ImportProgress.ForConsole(files.Count);
            var report = await new RunImporter(services.GetRequiredService<RecordStore>()).ImportAsync(files, progress, CancellationToken.None);
            progress?.Finish();
            Print(report, from);
            return report.Skipped.Count > 0 ? SomeSkipped : 0;
        });
    }

    private static void Print(ImportReport report, string from)
    {
        foreach (var (file, renames) in report.Renamed)
        {
            Console.WriteLine($"renamed {file}: {string.Join(", ", renames)}");
        }
        foreach (var (file, reason) in report.Skipped)
        {
            Console.Error.WriteLine($"skipped {file}: {reason}");
        }
        if (report.Imported == 0 && report.Skipped.Count == 0)
        {
            Console.WriteLine($"Nothing to import: all {report.AlreadyPresent} runs of {from} are already present.");
            return;
        }
        Console.WriteLine($"Imported {report.Imported} of {report.Total} runs of {from}: " +
                          $"{report.AlreadyPresent} already present, {report.Renamed.Count} renamed, {report.Skipped.Count} skipped.");
    }
}
