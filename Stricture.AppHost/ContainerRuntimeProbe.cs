using System.Diagnostics;

namespace Stricture.AppHost;

/// <summary>
/// Asks the container runtime Aspire would use whether its engine answers, in a few seconds. Aspire
/// itself waits 30 seconds for an absent engine and then fails every resource with a stack trace;
/// the graph asks first so that a machine without Docker or Podman gets one line that says how to
/// point the graph at an existing store instead.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The runtime Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c> (or <c>DOTNET_ASPIRE_CONTAINER_RUNTIME</c>)
    /// when set, otherwise docker.
    /// </summary>
    public static string RuntimeName(Func<string, string?> configuration) =>
        configuration("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } named ? named
        : configuration("DOTNET_ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } legacy ? legacy
        : "docker";

    /// <summary>Null when <paramref name="runtime"/>'s engine answers; otherwise why it does not, in a few words.</summary>
    public static async Task<string?> WhyUnavailableAsync(string runtime, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{runtime} did not start");
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"'{runtime}' is not installed or not on the PATH";
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Patience);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within {Patience.TotalSeconds:0} seconds";
            }
            if (process.ExitCode == 0)
            {
                return null;
            }
            var firstLine = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return $"'{runtime} info' failed{(firstLine is null ? "" : $": {firstLine}")}";
        }
    }
}
