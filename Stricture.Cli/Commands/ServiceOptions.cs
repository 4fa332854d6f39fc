using System.CommandLine;

namespace Stricture.Cli.Commands;

/// <summary>--organization, --project, --service: the service a run belongs to, required by every command.</summary>
public sealed class ServiceOptions
{
    public Option<string?> Organization { get; } = EnvironmentOption.Text("--organization", "STRICTURE_ORGANIZATION",
        "The organization (lowercase letters, digits, '.', '_', '-')", Identifier.Explain);

    public Option<string?> Project { get; } = EnvironmentOption.Text("--project", "STRICTURE_PROJECT",
        "The project", Identifier.Explain);

    public Option<string?> Service { get; } = EnvironmentOption.Text("--service", "STRICTURE_SERVICE",
        "The service", Identifier.Explain);

    public void AddTo(Command command)
    {
        command.Options.Add(Organization);
        command.Options.Add(Project);
        command.Options.Add(Service);
        EnvironmentOption.Require(command, Organization, "STRICTURE_ORGANIZATION");
        EnvironmentOption.Require(command, Project, "STRICTURE_PROJECT");
        EnvironmentOption.Require(command, Service, "STRICTURE_SERVICE");
    }

    public (string Organization, string Project, string Service) Resolve(ParseResult parse) =>
        (parse.GetValue(Organization)!, parse.GetValue(Project)!, parse.GetValue(Service)!);

    /// <summary>The read API's path for this service: v1/runs/{organization}/{project}/{service}.</summary>
    public string RunsPath(ParseResult parse)
    {
        var (organization, project, service) = Resolve(parse);
        return $"v1/runs/{organization}/{project}/{service}";
    }
}
