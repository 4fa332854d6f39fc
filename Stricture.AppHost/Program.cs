using Microsoft.Extensions.Configuration;
using Stricture.AppHost;

// The local graph (docs/deployment.md): MinIO, the ingest API in mirror mode and the replicator,
// wired only through references and environment variables, so the services run here exactly as
// they run anywhere else. The services read every setting below; Stricture.Tests checks the names.
var builder = DistributedApplication.CreateBuilder(args);

// AppHost configuration: appsettings.json, user secrets, environment (MinIO__Tag=...) or arguments (MinIO:Tag=...).
var minioSettings = builder.Configuration.GetSection("MinIO");
var strictureSettings = builder.Configuration.GetSection("Stricture");
var bucket = Setting(strictureSettings, "Bucket", "stricture");
// One directory for both services: ingest writes records and spools them there, the replicator reads the spool.
var dataDirectory = Path.GetFullPath(Setting(strictureSettings, "DataDirectory", Path.Combine(builder.AppHostDirectory, ".stricture-server-data")));

// Parameters:minio-user, Parameters:minio-password and Parameters:ingest-token (user secrets, or the dashboard asks).
var minioUser = builder.AddParameter("minio-user");
var minioPassword = builder.AddParameter("minio-password", secret: true);
var ingestToken = builder.AddParameter("ingest-token", secret: true);

// MinIO OSS is archived and its Docker Hub images are gone; the same tags still resolve on quay.io.
// CommunityToolkit marks the integration obsolete from 13.3.0 (RustFs and SeaweedFS are its successors).
#pragma warning disable CS0618
var minio = builder.AddMinioContainer("minio", minioUser, minioPassword)
#pragma warning restore CS0618
    .WithImage(Setting(minioSettings, "Image", "minio/minio"))
    .WithImageTag(Setting(minioSettings, "Tag", "RELEASE.2025-09-07T16-13-09Z"))
    .WithImageRegistry(Setting(minioSettings, "Registry", "quay.io"));
if (!string.Equals(minioSettings["DataVolume"], "false", StringComparison.OrdinalIgnoreCase))
{
    minio.WithDataVolume();
}

// Runs once MinIO is healthy; WaitFor(minio) below waits for it to finish, so the bucket exists
// before either service starts.
minio.OnResourceReady(async (resource, _, cancellationToken) =>
{
    var connectionString = await resource.GetConnectionStringAsync(cancellationToken)
        ?? throw new InvalidOperationException("MinIO has no connection string yet.");
    await MinioBucket.EnsureExistsAsync(connectionString, bucket, cancellationToken);
});

// No launch profiles in the service projects: WithHttpEndpoint gives each one its ASPNETCORE_URLS.
builder.AddProject<Projects.Stricture_Ingest>("ingest")
    .WithReference(minio)
    .WaitFor(minio)
    .WithHttpEndpoint()
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("STRICTURE_SERVER_STORAGE_DRIVER", "mirror")
    .WithEnvironment("STRICTURE_SERVER_OBJECT_BUCKET", bucket)
    .WithEnvironment("STRICTURE_SERVER_DATA_DIR", dataDirectory)
    .WithEnvironment("STRICTURE_SERVER_AUTH_MODE", "token")
    .WithEnvironment("STRICTURE_SERVER_INGEST_TOKEN", ingestToken);

builder.AddProject<Projects.Stricture_Replicator>("replicator")
    .WithReference(minio)
    .WaitFor(minio)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("STRICTURE_SERVER_STORAGE_DRIVER", "mirror")
    .WithEnvironment("STRICTURE_SERVER_OBJECT_BUCKET", bucket)
    .WithEnvironment("STRICTURE_SERVER_DATA_DIR", dataDirectory);

builder.Build().Run();

static string Setting(IConfiguration section, string key, string defaultValue) =>
    section[key] is { Length: > 0 } value ? value : defaultValue;
