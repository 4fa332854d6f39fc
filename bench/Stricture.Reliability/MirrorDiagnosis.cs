using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// Explains a verify that does not come clean in mirror mode. In a store still holding the dated
/// layout, a kill between a run's claim and its payload left a claim with no payload: the run was never acknowledged, a
/// retry completes it, and the replicator (which copies runs, by payload) rightly never copies it,
/// so verify lists the claim as missing from the bucket. Such differences are counted and reported,
/// not failed; anything else (an acknowledged run missing, spool entries quarantined) is a failure.
/// </summary>
internal static partial class MirrorDiagnosis
{
    public static (int DanglingClaims, int Pending, int Quarantined) Inspect(string dataDirectory, AckLedger ledger)
    {
        var dangling = 0;
        var tree = Path.Combine(dataDirectory, "stricture");
        foreach (var claim in Directory.EnumerateFiles(tree, "run=*.json", SearchOption.AllDirectories).Where(f => f.Contains("/runs/", StringComparison.Ordinal)))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(claim));
            if (!document.RootElement.TryGetProperty("key", out var keyElement))
            {
                continue; // a record: the run itself, not a dated-layout claim
            }
            var key = keyElement.GetString()!;
            var runId = document.RootElement.GetProperty("run_id").GetString()!;
            if (!File.Exists(Path.Combine(dataDirectory, key)) && ledger.All.All(a => a.RunId != runId))
            {
                dangling++;
            }
        }
        int Count(string folder) => Directory.Exists(Path.Combine(dataDirectory, ".spool", folder))
            ? Directory.EnumerateFiles(Path.Combine(dataDirectory, ".spool", folder), "*", SearchOption.AllDirectories).Count()
            : 0;
        return (dangling, Count("pending"), Count("quarantine"));
    }

    /// <summary>Verify's outcome in words, and whether it is a failure once dangling claims are accounted for.</summary>
    public static (string Summary, string? Failure) Judge(VerifyRun verify, string dataDirectory, AckLedger ledger, ServerProcess? replicator)
    {
        var differences = DifferencesPattern().Match(verify.Summary) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        var (dangling, pending, quarantined) = Inspect(dataDirectory, ledger);
        var summary = $"{verify.Short}; {dangling} of them unacknowledged claims without a payload (left by a kill); spool: {pending} pending, {quarantined} quarantined";
        if (verify.Clean || (differences == dangling && quarantined == 0))
        {
            return (summary, null);
        }
        var log = replicator?.OutputTail().Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) ||
            l.Contains("alarm", StringComparison.OrdinalIgnoreCase) || l.Contains("impossible", StringComparison.OrdinalIgnoreCase)).Take(3) ?? [];
        return (summary, $"verify: {verify.Summary} {string.Join("; ", verify.Differences)}; {summary}; replicator: {string.Join(" / ", log)}");
    }

    [GeneratedRegex(@": ([0-9]+) differences", RegexOptions.CultureInvariant)]
    private static partial Regex DifferencesPattern();
}
