extern alias apphost;

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost's application model built from given configuration, without starting anything: no
/// container runtime, no orchestrator, no ports. Disposing it disposes the builder.
/// </summary>
public sealed class AppHostModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;

    private AppHostModel(IDistributedApplicationTestingBuilder builder) => _builder = builder;

    /// <summary>Configuration every model needs: secrets a developer would have in user secrets, so nothing is generated and persisted.</summary>
    public static readonly string[] Secrets = ["Parameters:ingest-token=model-test-token-0123456789abcdef", "Parameters:minio-password=model-test-password-0123456789"];

    public static async Task<AppHostModel> BuildAsync(params string[] configuration)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Projects.Stricture_AppHost>([.. Secrets, .. configuration]);
        return new AppHostModel(builder);
    }

    public IResource this[string name] => Assert.Single(_builder.Resources, resource => resource.Name == name);

    public IReadOnlyList<ContainerResource> Containers => [.. _builder.Resources.OfType<ContainerResource>()];

    public IReadOnlyList<string> ResourceNames => [.. _builder.Resources.Select(resource => resource.Name).Order()];

    /// <summary>The environment of <paramref name="resource"/> as a manifest would show it: references stay expressions such as <c>{minio.connectionString}</c>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    public ValueTask DisposeAsync() => _builder.DisposeAsync();
}
