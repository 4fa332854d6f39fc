using System.Text.RegularExpressions;
using System.Xml.Linq;
using Stricture.Ingest.Configuration;
using Stricture.Storage.Configuration;
using Stricture.Tests.Infrastructure;
using HostingDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace Stricture.Tests.Deployment;

/// <summary>
/// Stricture.AppHost cannot be built here (no Aspire packages; AspireGraphTests runs it where they
/// are). What can be checked without them is checked on its source: each project resource is given
/// only settings its service reads, the same ones the MirrorGraph fixture gives the real processes,
/// and the references, waits and health checks the issue asks for.
/// </summary>
public sealed partial class AppHostDefinitionTests
{
    private static readonly string Source = File.ReadAllText(Repository.Path("Stricture.AppHost", "Program.cs"));

    private static Dictionary<string, string> Resources() =>
        ProjectResource().Matches(Source).ToDictionary(match => match.Groups["name"].Value, match => match.Groups["chain"].Value);

    [Fact]
    public void The_AppHost_runs_ingest_and_the_replicator_with_only_settings_they_read()
    {
        var resources = Resources();
        Assert.Equal(new[] { "ingest", "replicator" }, resources.Keys.Order());
        foreach (var (service, chain) in resources)
        {
            var names = EnvironmentName().Matches(chain).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(ServiceSettings.IsReadBy(service, name), $"the AppHost gives {service} {name}, which it does not read"));
            Assert.Contains(".WithReference(minio)", chain);
            Assert.Contains(".WaitFor(minio)", chain);
            Assert.Contains($".WithHttpHealthCheck(\"{HostingDefaults.HealthEndpointPath}\")", chain);
        }
        Assert.Contains(".WithExternalHttpEndpoints()", resources["ingest"]);
    }

    [Fact]
    public void The_AppHost_gives_both_services_the_environment_the_MirrorGraph_fixture_gives_the_processes()
    {
        // ConnectionStrings__minio comes from WithReference(minio); the data directory is set by the process helpers.
        var fixture = MirrorGraph.AppHostEnvironment("Endpoint=http://127.0.0.1:9000;AccessKey=a;SecretKey=b", "bucket").Keys
            .Where(name => name != "ConnectionStrings__minio")
            .Append(StorageOptions.DataDirectorySetting)
            .ToHashSet();
        var resources = Resources();
        Assert.Equal(fixture, EnvironmentName().Matches(resources["replicator"]).Select(m => m.Groups[1].Value).ToHashSet());
        // Ingest also gets token authentication, as GraphScenarioTests starts it.
        Assert.Equal(fixture.Union([AuthOptions.ModeSetting, AuthOptions.IngestTokenSetting]).ToHashSet(),
            EnvironmentName().Matches(resources["ingest"]).Select(m => m.Groups[1].Value).ToHashSet());
    }

    [Fact]
    public void The_MinIO_image_defaults_to_a_registry_that_still_serves_it_and_is_configurable()
    {
        // Docker Hub's minio/minio images were deleted in September 2026; quay.io serves the same tags.
        Assert.Matches(@"Setting\(minioSettings, ""Registry"", ""quay\.io""\)", Source);
        Assert.Matches(@"Setting\(minioSettings, ""Image"", ""minio/minio""\)", Source);
        Assert.Matches(@"Setting\(minioSettings, ""Tag"", ""RELEASE\.[0-9TZ-]+""\)", Source);
    }

    [Fact]
    public void The_AppHost_project_is_an_Aspire_13_1_AppHost_whose_packages_have_central_versions()
    {
        // MSBuild never loads the project here (the solution does not build it), so a malformed file would go unnoticed.
        var project = XDocument.Load(Repository.Path("Stricture.AppHost", "Stricture.AppHost.csproj")).Root!;
        Assert.Equal("Aspire.AppHost.Sdk/13.1.0", (string?)project.Attribute("Sdk"));
        Assert.Equal("Exe", project.Descendants("OutputType").Single().Value);
        Assert.NotEmpty(project.Descendants("UserSecretsId").Single().Value);

        var references = project.Descendants("ProjectReference").ToDictionary(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')));
        Assert.Equal(new[] { "Stricture.Ingest", "Stricture.Replicator", "Stricture.Storage" }, references.Keys.Order());
        Assert.Equal("false", (string?)references["Stricture.Storage"].Attribute("IsAspireProjectResource"));

        var versions = XDocument.Load(Repository.Path("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(v => (string)v.Attribute("Include")!, v => (string)v.Attribute("Version")!);
        Assert.All(project.Descendants("PackageReference"), package => Assert.Contains((string)package.Attribute("Include")!, versions.Keys));
        Assert.StartsWith("13.1.", versions["Aspire.Hosting.Testing"], StringComparison.Ordinal);

        // The switch: the tests reference the AppHost and Aspire.Hosting.Testing only with StrictureAspire=true.
        var tests = XDocument.Load(Repository.Path("Stricture.Tests", "Stricture.Tests.csproj")).Root!;
        var switched = tests.Elements("ItemGroup").Single(group => (string?)group.Attribute("Condition") == "'$(StrictureAspire)' == 'true'");
        Assert.Contains(switched.Elements("PackageReference"), r => (string?)r.Attribute("Include") == "Aspire.Hosting.Testing");
        Assert.Contains(switched.Elements("ProjectReference"), r => ((string?)r.Attribute("Include"))?.EndsWith("Stricture.AppHost.csproj", StringComparison.Ordinal) is true);
    }

    [GeneratedRegex(@"AddProject<Projects\.Stricture_\w+>\(""(?<name>[a-z-]+)""\)(?<chain>[^;]*);")]
    private static partial Regex ProjectResource();

    [GeneratedRegex(@"\.WithEnvironment\(""([^""]+)""")]
    private static partial Regex EnvironmentName();
}
