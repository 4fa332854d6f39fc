using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stricture.Bench;

/// <summary>
/// One run of <c>Stricture.Replicator verify</c> with the replicator's settings: it compares the
/// local tree with the bucket key by key and exits 0 when the bucket holds everything the data
/// directory does (every acknowledged run, its index entry, manifest lines and latest pointer).
/// </summary>
internal sealed partial record VerifyRun(int ExitCode, string Summary, IReadOnlyList<string> Differences, TimeSpan Wall)
{
    private const int DifferencesKept = 5;

    public bool Clean => ExitCode == 0;

    /// <summary>The summary without the paths: "N keys compared, K differences".</summary>
    public string Short => SummaryPattern().Match(Summary) is { Success: true } m ? $"{m.Groups[1].Value} keys compared, {m.Groups[2].Value} differences" : Summary;

    public static async Task<VerifyRun> RunAsync(
        BenchOptions options, string dataDirectory, S3Bucket bucket, CancellationToken cancellationToken)
    {
        var start = ServerProcess.CleanStartInfo(options.ReplicatorDll, null, dataDirectory, "verify");
        foreach (var (key, value) in bucket.MirrorSettings)
        {
            start.Environment[key] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.PhaseTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the process this call started, by its pid.
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"verify did not finish within {options.PhaseTimeout.TotalSeconds:0} s.");
        }
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = lines.LastOrDefault(l => l.StartsWith("Compared ", StringComparison.Ordinal)) ?? (await errors).Trim();
        var differences = lines.Where(l => !l.StartsWith("Compared ", StringComparison.Ordinal)).Take(DifferencesKept).ToList();
        return new VerifyRun(process.ExitCode, summary, differences, clock.Elapsed);
    }

    // "Compared 281 keys of /data with bucket b: 0 differences."
    [GeneratedRegex(@"^Compared ([0-9]+) keys .*: ([0-9]+) differences", RegexOptions.CultureInvariant)]
    private static partial Regex SummaryPattern();
}
