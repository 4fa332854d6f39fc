using System.Diagnostics;

namespace Stricture.Bench;

/// <summary>
/// One run of a service command (<c>reconcile</c>, <c>verify</c>) to its end, bounded in time: on a
/// timeout only the process this call started is killed, by its pid.
/// </summary>
internal static class CommandProcess
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        ProcessStartInfo start, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{name} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, await output, await errors);
    }
}
