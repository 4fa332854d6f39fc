using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Stricture.Bench;

/// <summary>
/// One run of <c>Stricture.Ingest reconcile</c> on a stopped store: the wall time of the command (a
/// process start included) and the reconciler's own time from its summary line. Reconcile lists every
/// key of the store, so unlike the queries its cost grows with the history; the server runs it in the
/// background at start-up.
/// </summary>
internal sealed partial record ReconcileRun(TimeSpan Wall, TimeSpan? Reconciler, string Summary)
{
    public static async Task<ReconcileRun> RunAsync(
        string serverDll, string? workingDirectory, string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = ServerProcess.CleanStartInfo(serverDll, workingDirectory, dataDirectory, "reconcile");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
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
            throw new TimeoutException($"reconcile did not finish within {timeout.TotalSeconds:0} s.");
        }
        clock.Stop();
        var summary = (await output).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"reconcile exited with code {process.ExitCode}: {summary} {(await errors).Trim()}");
        }
        var seconds = SecondsPattern().Match(summary);
        return new ReconcileRun(
            clock.Elapsed,
            seconds.Success ? TimeSpan.FromSeconds(double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture)) : null,
            summary);
    }

    // "Reconciled 1000 runs of 1 services over 10 days in 0.4 s: ..."
    [GeneratedRegex(@" in ([0-9]+(?:\.[0-9]+)?) s\b", RegexOptions.CultureInvariant)]
    private static partial Regex SecondsPattern();
}
