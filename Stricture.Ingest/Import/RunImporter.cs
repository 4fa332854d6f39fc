using Stricture.Storage.Records;

namespace Stricture.Ingest.Import;

/// <summary>
/// Stores the runs of an upstream data directory through the record store, the write path every post
/// takes: each becomes an immutable record (durable, idempotent by run id) and enters the catalog,
/// the organisation's discovery and drift objects exactly as a post would, so queries see it at once
/// and <c>reconcile</c> rebuilds the same. A second import of the same directory changes nothing:
/// each run is the same run id with the same content and received_at, an identical retry.
/// A file that cannot be read or is not a valid run is skipped and reported; the import goes on.
/// A storage failure stops it (nothing is lost: running it again continues where it stopped).
/// </summary>
internal sealed class RunImporter(RecordStore records)
{
    public async Task<ImportReport> ImportAsync(IReadOnlyList<UpstreamRunFile> files, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var report = new ImportReport();
        for (var index = 0; index < files.Count; index++)
        {
            await ImportOneAsync(files[index], report, cancellationToken);
            progress?.Report(index + 1);
        }
        return report;
    }

    private async Task ImportOneAsync(UpstreamRunFile file, ImportReport report, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file.Path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            report.Skipped.Add((file.RelativePath, $"unreadable: {exception.Message}"));
            return;
        }
        if (!UpstreamRecord.TryRead(bytes, file.RunDirectory, out var run, out var reason))
        {
            report.Skipped.Add((file.RelativePath, reason));
            return;
        }

        var result = await records.IngestAsync(run.Submission, cancellationToken);
        if (result.Status == IngestStatus.Conflict)
        {
            report.Skipped.Add((file.RelativePath,
                $"run '{result.RunId}' is already stored at '{result.Location}' with other content; nothing was overwritten"));
            return;
        }
        if (result.Created)
        {
            report.Imported++;
        }
        else
        {
            report.AlreadyPresent++;
        }
        if (run.Renames.Count > 0)
        {
            report.Renamed.Add((file.RelativePath, run.Renames));
        }
    }
}
