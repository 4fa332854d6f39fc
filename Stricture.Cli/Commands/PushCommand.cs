using System.CommandLine;
using System.Net;
using Stricture.Cli.Auth;
using Stricture.Cli.Ci;
using Stricture.Cli.Http;
using Stricture.Cli.Output;
using Stricture.Cli.Push;

namespace Stricture.Cli.Commands;

/// <summary>
/// <c>stricture push</c>: builds the run record from the files, checks it locally, and posts it
/// with retries until the server accepts it, refuses it, or --timeout passes.
/// </summary>
public static class PushCommand
{
    /// <summary>The server's default body cap (docs/configuration.md); a server configured higher needs --max-body-bytes.</summary>
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var service = new ServiceOptions();
        var artifact = EnvironmentOption.Text("--artifact", "STRICTURE_ARTIFACT", "The lineage-export JSON file");
        var diff = EnvironmentOption.Text("--diff", "STRICTURE_DIFF", "A lineage-diff JSON file");
        var summary = EnvironmentOption.Text("--summary", "STRICTURE_SUMMARY", "A markdown summary file");
        var runId = EnvironmentOption.Text("--run-id", "STRICTURE_RUN_ID",
            "The run id [default: derived from the CI run and attempt; outside CI, generated]", Identifier.Explain);
        var commit = EnvironmentOption.Text("--commit", "STRICTURE_COMMIT", "The commit SHA [default: the CI's]", CheckCommit);
        var generatedAt = EnvironmentOption.Text("--generated-at", "STRICTURE_GENERATED_AT",
            "When the artifact was generated, RFC 3339 with a time zone [default: the CI's job start, where it has one]", CheckTimestamp);
        var metadata = EnvironmentOption.Pairs("--metadata", "STRICTURE_METADATA",
            "KEY=VALUE recorded with the run; repeat for more [default: the CI's ci, repository, branch, pipeline_url]");
        var gate = new Option<bool>("--gate")
        {
            Description = "Print the server's gate decision and impacted services, and exit 6 when it blocks the run (the run is stored either way) " +
                          "[env: STRICTURE_GATE=true]",
            DefaultValueFactory = _ => bool.TryParse(Environment.GetEnvironmentVariable("STRICTURE_GATE"), out var on) && on,
        };
        var maxBodyBytes = new Option<long>("--max-body-bytes")
        {
            Description = "The server's body cap, checked before sending [env: STRICTURE_MAX_BODY_BYTES]",
            DefaultValueFactory = _ => long.TryParse(Environment.GetEnvironmentVariable("STRICTURE_MAX_BODY_BYTES"), out var cap) ? cap : DefaultMaxBodyBytes,
        };

        var command = new Command("push", "Post a run record (artifact, optional diff and summary) to a Stricture server.");
        connection.AddTo(command);
        service.AddTo(command);
        foreach (var option in new Option[] { artifact, diff, summary, runId, commit, generatedAt, metadata, gate, maxBodyBytes })
        {
            command.Options.Add(option);
        }
        EnvironmentOption.Require(command, artifact, "STRICTURE_ARTIFACT");

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = connection.Resolve(parse);
            var ci = CiDetection.Detect(Environment.GetEnvironmentVariable);
            var explicitRunId = parse.GetValue(runId);
            var chosenRunId = explicitRunId ?? ci?.RunId ?? Guid.CreateVersion7().ToString("N");

            var (organization, project, serviceName) = service.Resolve(parse);
            var pairs = Merge(ci?.Metadata() ?? [], parse.GetValue(metadata)!);
            var push = new Push(settings, chosenRunId, generated: explicitRunId is null && ci is null, gate: parse.GetValue(gate));
            return await push.RunAsync(() => new PushRequest(
                organization, project, serviceName, chosenRunId,
                parse.GetValue(commit)?.ToLowerInvariant() ?? ci?.CommitSha,
                parse.GetValue(generatedAt) ?? ci?.GeneratedAt,
                InputFiles.ReadJsonObject(parse.GetValue(artifact)!, "artifact"),
                parse.GetValue(diff) is { } diffPath ? InputFiles.ReadJsonObject(diffPath, "diff") : null,
                parse.GetValue(summary) is { } summaryPath ? InputFiles.ReadText(summaryPath, "summary") : null,
                pairs), parse.GetValue(maxBodyBytes), cancellationToken);
        });
        return command;
    }

    /// <summary>The CI's defaults, then the explicit pairs: an explicit key replaces a default in place.</summary>
    private static List<KeyValuePair<string, string>> Merge(IEnumerable<KeyValuePair<string, string>> defaults, string[] explicitPairs)
    {
        var merged = defaults.ToList();
        foreach (var pair in explicitPairs)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            var entry = new KeyValuePair<string, string>(pair[..split], pair[(split + 1)..]);
            var existing = merged.FindIndex(item => item.Key == entry.Key);
            if (existing >= 0)
            {
                merged[existing] = entry;
            }
            else
            {
                merged.Add(entry);
            }
        }
        return merged;
    }

    private static string? CheckCommit(string value) =>
        value is { Length: >= 4 and <= 64 } && value.All(char.IsAsciiHexDigit)
            ? null
            : $"'{value}' is not a commit SHA (4 to 64 hexadecimal characters).";

    private static string? CheckTimestamp(string value) =>
        Rfc3339.IsValid(value) ? null : $"'{value}' is not an RFC 3339 date-time with a time zone, such as 2026-11-22T09:30:00Z.";

    /// <summary>One push: check, send, report.</summary>
    private sealed class Push(Connection settings, string runId, bool generated, bool gate)
    {
        public async Task<int> RunAsync(Func<PushRequest> build, long maxBodyBytes, CancellationToken cancellationToken)
        {
            RequestBody body;
            try
            {
                var json = Envelope.Write(build());
                if (json.Length > maxBodyBytes)
                {
                    return Fail(ExitCodes.InvalidInput, 0,
                        $"the run record is {json.Length:N0} bytes, over the server's cap of {maxBodyBytes:N0} (--max-body-bytes); nothing was sent.");
                }
                body = RequestBody.For(json);
            }
            catch (InputFileException exception)
            {
                return Fail(ExitCodes.InvalidInput, 0, exception.Message);
            }

            if (generated)
            {
                // Printed before the first attempt: pushing again with it is how to retry this push by hand.
                await Console.Error.WriteLineAsync($"stricture: no CI detected; generated run id {runId} (push again with --run-id {runId} to retry it)");
            }

            using var client = settings.CreateClient();
            var sender = settings.CreateSender(client);
            ServerAnswer answer;
            try
            {
                var bearer = await settings.BearerAsync(sender, cancellationToken);
                answer = await sender.SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "v1/artifacts") { Content = body.ToContent() };
                    if (bearer is not null)
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
                    }
                    return request;
                }, cancellationToken);
            }
            catch (CredentialException exception)
            {
                return Fail(ExitCodes.AuthenticationOrScope, 0, exception.Message);
            }
            catch (ServerUnavailableException exception)
            {
                return Fail(ExitCodes.Unavailable, exception.Attempts, $"server unavailable: {exception.Message}.");
            }
            return Report(answer);
        }

        private int Report(ServerAnswer answer)
        {
            // A 404 on push means the URL does not lead to a Stricture server: the input is wrong.
            var exitCode = answer.Status == HttpStatusCode.NotFound ? ExitCodes.InvalidInput : StatusExitCode.For(answer.Status);
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonReport.WithAttempts(answer.Body, (int)answer.Status, answer.Attempts));
            }
            var attempts = answer.Attempts == 1 ? "1 attempt" : $"{answer.Attempts} attempts";
            var location = answer.Property("location");
            var line = exitCode switch
            {
                ExitCodes.Success when answer.Body.Length > 0 && answer.Property("run_id") is { } storedRunId =>
                    (IsCreated(answer) ? "accepted" : "already stored") + $": run {storedRunId} at {location} ({attempts})",
                ExitCodes.Conflict =>
                    $"conflict: run {runId} is already stored with other content at {location}; nothing was overwritten ({attempts})",
                ExitCodes.AuthenticationOrScope => $"not authorized: {answer.Describe()} ({attempts})",
                ExitCodes.InvalidInput => $"rejected: {answer.Describe()} ({attempts})",
                _ => $"server error: {answer.Describe()} ({attempts})",
            };
            if (!settings.Json)
            {
                (exitCode == ExitCodes.Success ? Console.Out : Console.Error).WriteLine(line);
            }
            else if (exitCode != ExitCodes.Success)
            {
                Console.Error.WriteLine(line);
            }
            return gate && exitCode == ExitCodes.Success && answer.Body.Length > 0 ? Gate(answer.Body) : exitCode;
        }

        /// <summary>Prints the gate's decision and the impacted services (to standard error with --json, whose standard output is the report).</summary>
        private int Gate(byte[] body)
        {
            var (decision, lines) = GateReport.Read(body);
            var output = settings.Json || decision == GateReport.Block ? Console.Error : Console.Out;
            foreach (var printed in lines)
            {
                output.WriteLine(printed);
            }
            return decision == GateReport.Block ? ExitCodes.GateBlocked : ExitCodes.Success;
        }

        private static bool IsCreated(ServerAnswer answer)
        {
            using var document = System.Text.Json.JsonDocument.Parse(answer.Body);
            return document.RootElement.TryGetProperty("created", out var created) && created.ValueKind == System.Text.Json.JsonValueKind.True;
        }

        private int Fail(int exitCode, int attempts, string message)
        {
            Console.Error.WriteLine($"stricture: {message}");
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonReport.Failure(message, exitCode, attempts));
            }
            return exitCode;
        }
    }
}
