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
        var (exitCode, output, errors) = await CommandProcess.RunAsync(start, string.Join(' ', arguments), timeout, cancellationToken);
        return (exitCode, (output.Trim() + " " + errors.Trim()).Trim());
    }
}
