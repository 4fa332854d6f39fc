using Stricture.AppHost;

// The local graph (docs/deployment.md): an S3 store, the ingest API in mirror mode and the replicator,
// wired only through references and environment variables, so the services run here exactly as they
// run anywhere else. Stricture.Tests builds this model and starts it through Aspire.Hosting.Testing.
var builder = DistributedApplication.CreateBuilder(args);

GraphSettings settings;
try
{
    settings = GraphSettings.From(builder.Configuration, builder.AppHostDirectory);
}
catch (GraphSettingException refused)
{
    Console.Error.WriteLine($"Stricture.AppHost: {refused.Message}");
    return 1;
}

var store = builder.AddObjectStore(settings);

// Parameters:ingest-token: generated once and kept in the AppHost's user secrets; the dashboard shows it.
var ingestToken = builder.AddParameter("ingest-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Both services share one data directory: ingest writes records and spools them, the replicator reads the spool.
builder.AddProject<Projects.Stricture_Ingest>("ingest")
    .WithReference(store)
    .WaitFor(store)
    .WithHttpEndpoint(port: settings.IngestPort)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("STRICTURE_SERVER_STORAGE_DRIVER", "mirror")
    .WithEnvironment("STRICTURE_SERVER_OBJECT_BUCKET", settings.Bucket)
    .WithEnvironment("STRICTURE_SERVER_DATA_DIR", settings.DataDirectory)
    .WithEnvironment("STRICTURE_SERVER_AUTH_MODE", "token")
    .WithEnvironment("STRICTURE_SERVER_INGEST_TOKEN", ingestToken);

builder.AddProject<Projects.Stricture_Replicator>("replicator")
    .WithReference(store)
    .WaitFor(store)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("STRICTURE_SERVER_STORAGE_DRIVER", "mirror")
    .WithEnvironment("STRICTURE_SERVER_OBJECT_BUCKET", settings.Bucket)
    .WithEnvironment("STRICTURE_SERVER_DATA_DIR", settings.DataDirectory);

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (ContainerRuntimeUnavailableException refused)
{
    Console.Error.WriteLine($"Stricture.AppHost: {refused.Message}");
    return 1;
}
