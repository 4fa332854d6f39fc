using System.CommandLine;

namespace Stricture.Cli.Commands;

/// <summary>The options every command that talks to a server shares: where, how to authenticate, how long to try, how to print.</summary>
public sealed class ConnectionOptions
{
    public const string DefaultAudience = "stricture";

    public Option<string?> Server { get; } = EnvironmentOption.Text("--server", "STRICTURE_SERVER_URL",
        "The Stricture server's base URL, such as https://stricture.example.com", CheckServer);

    public Option<string?> Token { get; } = EnvironmentOption.Text("--token", "STRICTURE_TOKEN",
        "A bearer token: a shared or scoped token, or a JWT");

    public Option<bool> Oidc { get; } = EnvironmentOption.Flag("--oidc", "STRICTURE_OIDC",
        "Authenticate with a GitHub Actions OIDC token (the job needs permissions: id-token: write)");

    public Option<string?> Audience { get; } = EnvironmentOption.Text("--audience", "STRICTURE_AUDIENCE",
        $"The audience the server expects in OIDC tokens [default: {DefaultAudience}]");

    public Option<TimeSpan> Timeout { get; } = EnvironmentOption.Duration("--timeout", "STRICTURE_TIMEOUT",
        "How long to keep retrying a request", TimeSpan.FromMinutes(2));

    public Option<bool> Json { get; } = EnvironmentOption.Flag("--json", "STRICTURE_JSON",
        "Print the server's JSON answer instead of a line of text");

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(Oidc);
        command.Options.Add(Audience);
        command.Options.Add(Timeout);
        command.Options.Add(Json);
        EnvironmentOption.Require(command, Server, "STRICTURE_SERVER_URL");
        command.Validators.Add(result =>
        {
            if (EnvironmentOption.IsOn(result, Oidc, "STRICTURE_OIDC") &&
                !string.IsNullOrEmpty(EnvironmentOption.Given(result, Token) ?? Environment.GetEnvironmentVariable("STRICTURE_TOKEN")))
            {
                result.AddError("--oidc and --token (or STRICTURE_TOKEN) are alternatives; give one.");
            }
        });
    }

    public Connection Resolve(ParseResult parse) => new(
        new Uri(parse.GetValue(Server)!.TrimEnd('/') + "/"),
        parse.GetValue(Token),
        parse.GetValue(Oidc),
        parse.GetValue(Audience) ?? DefaultAudience,
        parse.GetValue(Timeout),
        parse.GetValue(Json));

    private static string? CheckServer(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"'{value}' is not an http or https URL.";
}
