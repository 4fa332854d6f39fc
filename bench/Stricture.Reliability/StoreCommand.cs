using System.Diagnostics;
using Stricture.Bench;

namespace Stricture.Reliability;

/// <summary>
/// One run of a service's command (<c>Stricture.Ingest reconcile</c>) with the same settings as the
/// server it stands in for, on a stopped store: exit code and its last output lines.
/// </summary>
internal static class StoreCommand
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string dll, string dataDirectory, IReadOnlyDictionary<string, string>? settings, TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = ServerProcess.CleanStartInfo(dll, null, dataDirectory, arguments);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
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
            throw new TimeoutException($"{string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, ((await output).Trim() + " " + (await errors).Trim()).Trim());
    }
}
