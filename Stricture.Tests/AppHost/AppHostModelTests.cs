extern alias apphost;
using apphost::Stricture.AppHost;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Stricture.Tests.Deployment;
using HostingDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost's model, built from its real Program without starting it: which store it chooses,
/// what each service is given, what waits for what. AspireGraphTests starts the same model.
/// </summary>
public sealed class AppHostModelTests
{
    private const string ExistingStore = "ConnectionStrings:minio=Endpoint=http://127.0.0.1:9000;AccessKey=a;SecretKey=b";

    [Fact]
    public async Task An_existing_store_from_configuration_starts_no_container()
    {
        await using var model = await AppHostModel.BuildAsync(ExistingStore);

        Assert.Superset(new HashSet<string> { "ingest", "ingest-token", "minio", "replicator" }, model.ResourceNames.ToHashSet());
        Assert.IsAssignableFrom<IResourceWithConnectionString>(model["minio"]);
        Assert.IsNotType<S3ContainerResource>(model["minio"]);
        Assert.Empty(model.Containers);
        Assert.DoesNotContain("minio-password", model.ResourceNames);
    }

    [Fact]
    public async Task Without_a_connection_string_the_store_is_a_pinned_MinIO_container_on_a_registry_that_still_serves_it()
    {
        await using var model = await AppHostModel.BuildAsync();

        var minio = Assert.IsType<S3ContainerResource>(model["minio"]);
        var image = Assert.Single(minio.Annotations.OfType<ContainerImageAnnotation>());
        // Docker Hub's minio/minio images were deleted in September 2026; quay.io serves the same tags.
        Assert.Equal(("quay.io", "minio/minio"), (image.Registry, image.Image));
        Assert.Matches("^RELEASE\\.[0-9TZ-]+$", image.Tag);
        Assert.Equal(["console", "s3"], minio.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name).Order());
        Assert.Equal(9000, minio.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "s3").TargetPort);
        Assert.Single(minio.Annotations.OfType<HealthCheckAnnotation>());
        var volume = Assert.Single(minio.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((ContainerMountType.Volume, "/data"), (volume.Type, volume.Target));

        var environment = await AppHostModel.EnvironmentAsync(minio);
        Assert.True(environment.ContainsKey("MINIO_ROOT_USER"), "MinIO's root user comes from the minio-user parameter");
        Assert.True(environment.ContainsKey("MINIO_ROOT_PASSWORD"), "MinIO's root password comes from the minio-password parameter");
        Assert.Equal("Endpoint={minio.bindings.s3.url};AccessKey={minio-user.value};SecretKey={minio-password.value}",
            minio.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task The_container_image_and_its_volume_are_configurable()
    {
        await using var model = await AppHostModel.BuildAsync("MinIO:Registry=registry.example", "MinIO:Image=mirror/minio", "MinIO:Tag=RELEASE.2025-01-01T00-00-00Z", "MinIO:DataVolume=false");

        var image = Assert.Single(model["minio"].Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("registry.example", "mirror/minio", "RELEASE.2025-01-01T00-00-00Z"), (image.Registry, image.Image, image.Tag));
        Assert.Empty(model["minio"].Annotations.OfType<ContainerMountAnnotation>());
    }

    [Fact]
    public async Task RustFS_is_chosen_by_one_setting_and_keeps_the_store_name_the_services_read()
    {
        await using var model = await AppHostModel.BuildAsync("Stricture:ObjectStore=rustfs");

        var store = Assert.IsType<S3ContainerResource>(model["minio"]);
        var image = Assert.Single(store.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "rustfs/rustfs", "1.0.0"), (image.Registry, image.Image, image.Tag));
        var environment = await AppHostModel.EnvironmentAsync(store);
        Assert.True(environment.ContainsKey("RUSTFS_ACCESS_KEY") && environment.ContainsKey("RUSTFS_SECRET_KEY"), "RustFS takes its keys from the same parameters");
        Assert.Equal("/data", environment["RUSTFS_VOLUMES"]);
    }

    [Theory]
    [InlineData("Stricture:ObjectStore=floppy", "Stricture:ObjectStore")]
    [InlineData("Stricture:IngestPort=eighty", "Stricture:IngestPort")]
    [InlineData("Stricture:IngestPort=70000", "Stricture:IngestPort")]
    public void A_bad_graph_setting_is_refused_naming_it(string setting, string named)
    {
        var pair = setting.Split('=', 2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(pair[0], pair[1])]).Build();

        var refused = Assert.Throws<GraphSettingException>(() => GraphSettings.From(configuration, "/tmp"));
        Assert.StartsWith(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_wins_over_the_container_choice()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("ConnectionStrings:minio", "Endpoint=http://127.0.0.1:9000;AccessKey=a;SecretKey=b"),
            new("Stricture:ObjectStore", "rustfs"),
        ]).Build();

        var choice = ObjectStoreChoice.From(configuration);
        Assert.True(choice.UsesExistingStore);
        Assert.Null(choice.Container);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("replicator")]
    public async Task Each_service_references_the_store_waits_for_it_and_is_health_checked(string service)
    {
        await using var model = await AppHostModel.BuildAsync(ExistingStore);
        var resource = model[service];

        var wait = Assert.Single(resource.Annotations.OfType<WaitAnnotation>());
        Assert.Equal("minio", wait.Resource.Name);
        Assert.Contains(resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name == "minio" && r.Type == "Reference");
        Assert.Single(resource.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Contains(resource.Annotations.OfType<EndpointAnnotation>(), e => e.UriScheme == "http");
        Assert.Equal("/health", HostingDefaults.HealthEndpointPath); // the path WithHttpHealthCheck probes is the one ServiceDefaults maps
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("replicator")]
    public async Task Each_service_is_given_only_settings_it_reads_and_runs_in_mirror_mode_on_one_data_directory(string service)
    {
        await using var model = await AppHostModel.BuildAsync(ExistingStore, "Stricture:Bucket=graph-bucket", "Stricture:DataDirectory=/srv/stricture");

        var environment = await AppHostModel.EnvironmentAsync(model[service]);
        foreach (var name in environment.Keys)
        {
            Assert.True(ServiceSettings.IsReadBy(service, name), $"the AppHost gives {service} {name}, which it does not read");
        }
        Assert.Equal("mirror", environment["STRICTURE_SERVER_STORAGE_DRIVER"]);
        Assert.Equal("graph-bucket", environment["STRICTURE_SERVER_OBJECT_BUCKET"]);
        Assert.Equal("/srv/stricture", environment["STRICTURE_SERVER_DATA_DIR"]);
        Assert.Equal("{minio.connectionString}", environment["ConnectionStrings__minio"]);
    }

    [Fact]
    public async Task Ingest_requires_the_generated_token_and_answers_on_the_stable_port()
    {
        await using var model = await AppHostModel.BuildAsync(ExistingStore);
        var ingest = model["ingest"];

        var environment = await AppHostModel.EnvironmentAsync(ingest);
        Assert.Equal("token", environment["STRICTURE_SERVER_AUTH_MODE"]);
        Assert.Equal("{ingest-token.value}", environment["STRICTURE_SERVER_INGEST_TOKEN"]);
        var token = Assert.IsType<ParameterResource>(model["ingest-token"]);
        Assert.True(token.Secret, "the ingest token is a secret parameter");
        Assert.Equal(GraphSettings.DefaultIngestPort, Assert.Single(ingest.Annotations.OfType<EndpointAnnotation>()).Port);

        await using var moved = await AppHostModel.BuildAsync(ExistingStore, "Stricture:IngestPort=18085");
        Assert.Equal(18085, Assert.Single(moved["ingest"].Annotations.OfType<EndpointAnnotation>()).Port);
    }
}
