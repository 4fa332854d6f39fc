using System.Diagnostics;

namespace Stricture.Tests.Infrastructure;

/// <summary>One of the project's own scripts (eng/), run as its users run it.</summary>
public static class RepositoryScript
{
    /// <summary>Runs <c>bash eng/&lt;name&gt; args…</c> and returns its standard output; throws with both outputs if it fails or overruns.</summary>
    public static async Task<string> RunAsync(string name, string[] arguments, TimeSpan timeout)
    {
        var script = Repository.Path("eng", name);
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // the script and what it started (a build, a server), not left running
            throw new TimeoutException($"{script} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return await stdout;
    }
}
