using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Stricture.Function.Lambda;

internal static class LambdaRuntimeRegistration
{
    /// <summary>The variable Lambda sets for custom runtimes: the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Serves Lambda invocations from the Runtime API at <paramref name="endpoint"/> instead of listening (Kestrel's place).</summary>
    public static IServiceCollection AddLambdaRuntimeServer(this IServiceCollection services, string endpoint)
    {
        services.AddSingleton(_ => new LambdaRuntimeApi(endpoint));
        services.AddSingleton<LambdaRuntimeServer>();
        services.RemoveAll<IServer>();
        services.AddSingleton<IServer>(sp => sp.GetRequiredService<LambdaRuntimeServer>());
        return services;
    }
}
