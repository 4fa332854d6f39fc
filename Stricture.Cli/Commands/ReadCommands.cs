using System.CommandLine;
using System.Text.Json;
using Stricture.Cli.Auth;
using Stricture.Cli.Http;
using Stricture.Cli.Output;

namespace Stricture.Cli.Commands;

/// <summary>
/// <c>stricture latest</c>, <c>runs</c> and <c>get</c>: the read API (docs/api.md, Reading runs) for
/// scripts that gate a pipeline on earlier runs. With --json they print the server's body exactly
/// (for latest and get, the stored envelope byte for byte); otherwise one line per run.
/// Exit 6 when the service or run does not exist, so "no previous run" is told apart from a failure.
/// </summary>
public static class ReadCommands
{
    public static Command Latest()
    {
        var (command, connection, service) = Create("latest", "Print the latest run of a service.");
        command.SetAction((parse, cancellationToken) =>
            ReadAsync(connection.Resolve(parse), service.RunsPath(parse) + "/latest", PrintEnvelope, cancellationToken));
        return command;
    }

    public static Command Get()
    {
        var (command, connection, service) = Create("get", "Print one run of a service by its run id.");
        var runId = EnvironmentOption.Text("--run-id", "STRICTURE_RUN_ID", "The run id", Identifier.Explain);
        command.Options.Add(runId);
        EnvironmentOption.Require(command, runId, "STRICTURE_RUN_ID");
        command.SetAction((parse, cancellationToken) =>
            ReadAsync(connection.Resolve(parse), service.RunsPath(parse) + "/" + parse.GetValue(runId), PrintEnvelope, cancellationToken));
        return command;
    }

    public static Command Runs()
    {
        var (command, connection, service) = Create("runs", "List runs of a service, newest first: a date range, a commit, a page at a time.");
        var from = new Option<string?>("--from") { Description = "First day, YYYY-MM-DD (UTC) [default: 7 days before --to]" };
        var to = new Option<string?>("--to") { Description = "Last day, YYYY-MM-DD (UTC) [default: today]" };
        var commit = new Option<string?>("--commit") { Description = "Only runs of this commit (a full SHA or at least 4 characters of one, either case)" };
        var limit = new Option<int?>("--limit") { Description = "Runs per page, 1 to 1000 [default: 100]" };
        var cursor = new Option<string?>("--cursor") { Description = "The next_cursor a previous page returned" };
        foreach (var option in new Option[] { from, to, commit, limit, cursor })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) =>
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }
            Add("from", parse.GetValue(from));
            Add("to", parse.GetValue(to));
            Add("commit", parse.GetValue(commit));
            Add("limit", parse.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("cursor", parse.GetValue(cursor));
            var path = service.RunsPath(parse) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            return ReadAsync(connection.Resolve(parse), path, PrintPage, cancellationToken);
        });
        return command;
    }

    private static (Command, ConnectionOptions, ServiceOptions) Create(string name, string description)
    {
        var command = new Command(name, description);
        var connection = new ConnectionOptions();
        var service = new ServiceOptions();
        connection.AddTo(command);
        service.AddTo(command);
        return (command, connection, service);
    }

    private static async Task<int> ReadAsync(Connection settings, string path, Action<JsonElement> print, CancellationToken cancellationToken)
    {
        using var client = settings.CreateClient();
        var sender = settings.CreateSender(client);
        ServerAnswer answer;
        try
        {
            var bearer = await settings.BearerAsync(sender, cancellationToken);
            answer = await sender.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.AcceptEncoding.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("gzip"));
                if (bearer is not null)
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
                }
                return request;
            }, cancellationToken);
        }
        catch (CredentialException exception)
        {
            await Console.Error.WriteLineAsync($"stricture: {exception.Message}");
            return ExitCodes.AuthenticationOrScope;
        }
        catch (ServerUnavailableException exception)
        {
            await Console.Error.WriteLineAsync($"stricture: server unavailable: {exception.Message}.");
            return ExitCodes.Unavailable;
        }

        var exitCode = StatusExitCode.For(answer.Status);
        if (exitCode != ExitCodes.Success)
        {
            await Console.Error.WriteLineAsync($"stricture: {answer.Describe()}");
            return exitCode;
        }
        if (settings.Json)
        {
            // The body as the server sent it: for a run, the stored envelope, byte for byte.
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(answer.Body, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            return exitCode;
        }
        using var document = JsonDocument.Parse(answer.Body);
        print(document.RootElement);
        return exitCode;
    }

    private static void PrintEnvelope(JsonElement envelope) => Console.Out.WriteLine(Line(envelope));

    private static void PrintPage(JsonElement page)
    {
        foreach (var run in page.GetProperty("runs").EnumerateArray())
        {
            Console.Out.WriteLine(Line(run));
        }
        if (page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String)
        {
            Console.Error.WriteLine($"stricture: more runs: --cursor {next.GetString()}");
        }
    }

    /// <summary>"run_id  generated_at  commit_sha", tab-separated, '-' for what is absent: easy to cut and awk.</summary>
    private static string Line(JsonElement run)
    {
        string Field(string name) => run.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";
        var when = Field("generated_at") is "-" ? Field("received_at") : Field("generated_at");
        return $"{Field("run_id")}\t{when}\t{Field("commit_sha")}";
    }
}
