using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Configuration;

/// <summary>Binds and validates the STRICTURE_SERVER_* options at start-up, and points Kestrel at the listen address.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddStrictureOptions(this IServiceCollection services)
    {
        services.AddSingleton<StrictureOptionsSetup>();
        services.AddSingleton<IConfigureOptions<ServerOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IConfigureOptions<AuthOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IConfigureOptions<AuditOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<ServerOptions>().ValidateOnStart();
        services.AddStrictureStorageOptions();
        services.AddOptions<AuthOptions>().ValidateOnStart();
        services.AddOptions<AuditOptions>().ValidateOnStart();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) =>
        {
            kestrel.AddServerHeader = false;
            // The ingest endpoint sets its own per-request limit (RequestBodyReader).
            kestrel.Limits.MaxRequestBodySize = server.Value.MaxBodyBytes;
            if (server.Value.Address is { } address)
            {
                Listen(kestrel, address);
            }
        });
        return services;
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address)
    {
        if (address.IsLocalhostName)
        {
            kestrel.ListenLocalhost(address.Port);
        }
        else if (address.Address is null)
        {
            kestrel.ListenAnyIP(address.Port);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port);
        }
    }
}
