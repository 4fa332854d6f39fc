namespace Stricture.Ingest.Import;

/// <summary>One run of the upstream Go server: its <c>payload.json</c>, and its path relative to the data directory (for reports).</summary>
internal sealed record UpstreamRunFile(string Path, string RelativePath, string RunDirectory);

/// <summary>
/// The upstream Go server's data directory: <c>DIR/&lt;org&gt;/&lt;project&gt;/&lt;service&gt;/&lt;run_id&gt;/payload.json</c>,
/// one file per accepted run. A run directory without payload.json holds at most the temp file of a
/// write that never completed (the server answered 500, or died): it was never accepted, so it is
/// not a run. Listed in ordinal order, so every import walks the runs in the same order.
/// </summary>
internal static class UpstreamDataDirectory
{
    public const string PayloadFile = "payload.json";

    public static IReadOnlyList<UpstreamRunFile> ListRuns(string root)
    {
        // Exactly four directory levels: organization, project, service, run.
        IEnumerable<string> level = [root];
        for (var depth = 0; depth < 4; depth++)
        {
            level = level.SelectMany(directory => Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal));
        }
        return level
            .Select(run => (Run: run, Payload: Path.Combine(run, PayloadFile)))
            .Where(run => File.Exists(run.Payload))
            .Select(run => new UpstreamRunFile(run.Payload, Path.GetRelativePath(root, run.Payload), Path.GetFileName(run.Run)))
            .ToList();
    }
}
