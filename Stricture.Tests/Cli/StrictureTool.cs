using System.Diagnostics;
using System.Text;

namespace Stricture.Tests.Cli;

/// <summary>
/// The built stricture tool (stricture.dll, copied beside the tests by the project reference), run
/// as a real process the way a CI step runs it. Its environment is this process's without any CI or
/// STRICTURE_* variables (the suite may itself run in a CI), plus what the test passes.
/// </summary>
public static class StrictureTool
{
    private static readonly string[] InheritedButCleared =
    [
        "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "BUILDKITE", "CIRCLECI", "JENKINS_URL",
        "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    ];

    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Took)
    {
        public string Output => Stdout + Stderr;

        public override string ToString() => $"exit {ExitCode} after {Took.TotalSeconds:0.0}s\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
    }

    /// <param name="arguments">The command line.</param>
    /// <param name="environment">Variables to set for this run.</param>
    /// <param name="onStderrLine">Called with each line the tool writes to stderr as it writes it (its retry log), to act mid-run.</param>
    public static async Task<Result> RunAsync(string[] arguments, IDictionary<string, string>? environment = null,
        Action<string>? onStderrLine = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "stricture.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("STRICTURE_", StringComparison.Ordinal) || InheritedButCleared.Contains(name))
            {
                start.Environment.Remove(name);
            }
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.Append(e.Data).Append('\n');
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.Append(e.Data).Append('\n');
                }
                onStderrLine?.Invoke(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException($"stricture {string.Join(' ', arguments)} kept running:\n{stdout}{stderr}");
        }
        // WaitForExit without a timeout also waits for the end of the redirected streams.
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed);
    }

    /// <summary>The arguments of a push of the shipped fixtures to acme/checkout/payments-api.</summary>
    public static string[] Push(Uri server, string runId, params string[] more) => PushFile(server, runId, CliFixtures.Artifact, more);

    /// <summary>The arguments of a push of <paramref name="artifact"/> to acme/checkout/payments-api.</summary>
    public static string[] PushFile(Uri server, string runId, string artifact, params string[] more) =>
    [
        "push", "--server", server.ToString(), "--organization", "acme", "--project", "checkout", "--service", "payments-api",
        "--run-id", runId, "--artifact", artifact, .. more,
    ];
}
