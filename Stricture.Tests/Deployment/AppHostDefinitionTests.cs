using System.Text.RegularExpressions;
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
    private static readonly string Source = File.ReadAllText(Path.Combine(RenderedManifests.RepositoryRoot, "Stricture.AppHost", "Program.cs"));

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
            .Append(StorageSettingNames.DataDirectory)
            .ToHashSet();
        var resources = Resources();
        Assert.Equal(fixture, EnvironmentName().Matches(resources["replicator"]).Select(m => m.Groups[1].Value).ToHashSet());
        // Ingest also gets token authentication, as GraphScenarioTests starts it.
        Assert.Equal(fixture.Union([SettingNames.AuthMode, SettingNames.IngestToken]).ToHashSet(),
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

    [GeneratedRegex(@"AddProject<Projects\.Stricture_\w+>\(""(?<name>[a-z-]+)""\)(?<chain>[^;]*);")]
    private static partial Regex ProjectResource();

    [GeneratedRegex(@"\.WithEnvironment\(""([^""]+)""")]
    private static partial Regex EnvironmentName();
}
