using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stricture.Bench;

/// <summary>
/// One run of <c>Stricture.Replicator verify</c> with the replicator's settings: it compares the
/// local tree with the bucket key by key and exits 0 when the bucket holds everything the data
/// directory does (every acknowledged run, its index entry, manifest lines and latest pointer).
/// </summary>
internal sealed partial record VerifyRun(int ExitCode, string Summary, IReadOnlyList<string> Differences, TimeSpan Wall, int Unlisted)
{
    private const int DifferencesKept = 5;

    public bool Clean => ExitCode == 0;

    /// <summary>The summary without the paths: "N keys compared, K differences, U in the bucket but not yet listed".</summary>
    public string Short => SummaryPattern().Match(Summary) is { Success: true } m
        ? $"{m.Groups[1].Value} keys compared, {m.Groups[2].Value} differences, {Unlisted} in the bucket but not yet listed"
        : Summary;

    public static async Task<VerifyRun> RunAsync(
        BenchOptions options, string dataDirectory, S3Bucket bucket, CancellationToken cancellationToken)
    {
        var start = ServerProcess.CleanStartInfo(options.ReplicatorDll, null, dataDirectory, "verify");
        foreach (var (key, value) in bucket.MirrorSettings)
        {
            start.Environment[key] = value;
        }
        var clock = Stopwatch.StartNew();
        var (exitCode, output, errors) = await CommandProcess.RunAsync(start, "verify", options.PhaseTimeout, cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = lines.LastOrDefault(l => l.StartsWith("Compared ", StringComparison.Ordinal)) ?? errors.Trim();
        var unlisted = lines.Select(l => UnlistedPattern().Match(l)).FirstOrDefault(m => m.Success) is { } u
            ? int.Parse(u.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        var differences = lines.Where(l => !l.StartsWith("Compared ", StringComparison.Ordinal) && !UnlistedPattern().IsMatch(l))
            .Take(DifferencesKept).ToList();
        return new VerifyRun(exitCode, summary, differences, clock.Elapsed, unlisted);
    }

    // "Compared 281 keys of /data with bucket b: 0 differences."
    [GeneratedRegex(@"^Compared ([0-9]+) keys .*: ([0-9]+) differences", RegexOptions.CultureInvariant)]
    private static partial Regex SummaryPattern();

    // "12 objects are in the bucket, read by key with the right SHA-256, but missing from its listing (...)."
    [GeneratedRegex(@"^([0-9]+) objects are in the bucket, read by key", RegexOptions.CultureInvariant)]
    private static partial Regex UnlistedPattern();
}
