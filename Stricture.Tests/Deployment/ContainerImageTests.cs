using System.Text.RegularExpressions;
using Stricture.Ingest.Configuration;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Deployment;

/// <summary>
/// deploy/containers: no container engine runs here, so the Dockerfiles are checked as text: a
/// small ASP.NET Core runtime base, a numeric non-root user, only settings the service reads, and
/// the port it then listens on exposed, the same port the Kubernetes manifests probe.
/// </summary>
public sealed partial class ContainerImageTests
{
    [Theory]
    [InlineData("ingest", "Stricture.Ingest", 8085)]
    [InlineData("replicator", "Stricture.Replicator", 8086)]
    public void The_image_is_a_non_root_runtime_image_configured_only_by_settings_its_service_reads(string service, string project, int port)
    {
        var path = Repository.Path("deploy", "containers", $"{service}.Dockerfile");
        var lines = JoinContinuations(File.ReadAllLines(path));
        var finalStage = lines.SkipWhile(line => !line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        finalStage = finalStage.Skip(finalStage.FindLastIndex(line => line.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled$", finalStage[0]);
        Assert.Contains("USER $APP_UID", finalStage);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", finalStage);
        Assert.Contains(lines, line => line.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && line.Contains($"{project}/{project}.csproj", StringComparison.Ordinal));

        var environment = finalStage.Where(line => line.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(line => EnvAssignment().Matches(line[4..]))
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["value"].Value);
        Assert.NotEmpty(environment);
        Assert.All(environment.Keys, name => Assert.True(ServiceSettings.IsReadBy(service, name), $"{service}.Dockerfile sets {name}, which {service} does not read"));

        var listens = service == "ingest"
            ? ListenAddress.TryParse(environment[ServerOptions.AddressSetting], out var address, out _) && !address.IsLoopback ? address.Port : -1
            : int.Parse(environment["ASPNETCORE_HTTP_PORTS"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(port, listens);
        Assert.Contains($"EXPOSE {port}", finalStage);
    }

    private static List<string> JoinContinuations(string[] lines)
    {
        var joined = new List<string>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                joined.Add(current);
                current = "";
            }
        }
        return joined;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S*)")]
    private static partial Regex EnvAssignment();
}
