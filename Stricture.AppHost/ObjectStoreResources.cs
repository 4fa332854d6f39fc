using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stricture.AppHost;

/// <summary>Adds the graph's object store: an existing one from configuration, or an S3 server container.</summary>
public static partial class ObjectStoreResources
{
    /// <summary>
    /// The store named <see cref="GraphSettings.StoreName"/>, with the records bucket created (idempotently)
    /// once it is ready: a service that <c>WaitFor</c>s it starts only after that.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddObjectStore(this IDistributedApplicationBuilder builder, GraphSettings settings)
    {
        IResourceBuilder<IResourceWithConnectionString> store = settings.Store.Container is { } image
            ? builder.AddS3Container(image, settings.Store.DataVolume)
            : builder.AddConnectionString(GraphSettings.StoreName);

        store.OnResourceReady(async (resource, evt, cancellationToken) =>
        {
            var connectionString = await resource.GetConnectionStringAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The store '{resource.Name}' has no connection string.");
            await MinioBucket.EnsureExistsAsync(connectionString, settings.Bucket, cancellationToken);
            BucketReady(evt.Services.GetRequiredService<ILogger<GraphSettings>>(), settings.Bucket, resource.Name);
        });
        return store;
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddS3Container(this IDistributedApplicationBuilder builder, S3ContainerImage image, bool dataVolume)
    {
        // Parameters:minio-user (appsettings.json) and Parameters:minio-password: generated once and kept
        // in the AppHost's user secrets, never in a committed file.
        var accessKey = builder.AddParameter("minio-user");
        var secretKey = builder.AddParameter("minio-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

        var container = builder.AddResource(new S3ContainerResource(GraphSettings.StoreName, accessKey.Resource, secretKey.Resource))
            .WithImage(image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithArgs([.. image.Args])
            .WithEnvironment(image.AccessKeyVariable, accessKey)
            .WithEnvironment(image.SecretKeyVariable, secretKey)
            .WithHttpEndpoint(targetPort: S3ContainerImage.S3Port, name: S3ContainerResource.S3EndpointName)
            .WithHttpEndpoint(targetPort: S3ContainerImage.ConsolePort, name: S3ContainerResource.ConsoleEndpointName)
            .WithHttpHealthCheck(image.HealthPath, endpointName: S3ContainerResource.S3EndpointName);
        foreach (var (name, value) in image.Environment)
        {
            container.WithEnvironment(name, value);
        }
        if (dataVolume)
        {
            container.WithVolume($"stricture-{image.Name}-data", image.DataPath);
        }

        // Aspire waits 30 seconds for an absent container engine, then fails with a stack trace: ask first.
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            var runtime = ContainerRuntimeProbe.RuntimeName(key => builder.Configuration[key]);
            if (await ContainerRuntimeProbe.WhyUnavailableAsync(runtime, cancellationToken) is { } why)
            {
                throw new ContainerRuntimeUnavailableException(image, why);
            }
        });
        return container;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bucket {Bucket} is ready on the store '{Store}'.")]
    private static partial void BucketReady(ILogger logger, string bucket, string store);
}

/// <summary>The graph needs a container for its store and no container engine answers.</summary>
public sealed class ContainerRuntimeUnavailableException(S3ContainerImage image, string why) : Exception(
    $"The graph runs {image.Name} in a container, but no container runtime answers ({why}). " +
    $"Start Docker or Podman, or use an existing S3 store: dotnet run --project Stricture.AppHost -- " +
    $"\"ConnectionStrings:{GraphSettings.StoreName}=Endpoint=http://127.0.0.1:9000;AccessKey=...;SecretKey=...\" " +
    "(or set it once with dotnet user-secrets; docs/deployment.md).");
