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
        var runs = new List<UpstreamRunFile>();
        foreach (var organization in Sorted(Directory.EnumerateDirectories(root)))
        foreach (var project in Sorted(Directory.EnumerateDirectories(organization)))
        foreach (var service in Sorted(Directory.EnumerateDirectories(project)))
        foreach (var run in Sorted(Directory.EnumerateDirectories(service)))
        {
            var payload = Path.Combine(run, PayloadFile);
            if (File.Exists(payload))
            {
                runs.Add(new UpstreamRunFile(payload, Path.GetRelativePath(root, payload), Path.GetFileName(run)));
            }
        }
        return runs;
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) => paths.Order(StringComparer.Ordinal);
}
