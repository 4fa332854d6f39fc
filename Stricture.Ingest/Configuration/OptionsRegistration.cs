using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Configuration;

/// <summary>Binds and validates the STRICTURE_SERVER_* options at start-up, and points Kestrel at the listen address.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddStrictureOptions(this IServiceCollection services, bool functionMode)
    {
        services.AddOptions<ServerOptions>().BindSettings();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsRanges>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ListenAddressValidator>();

        services.AddStorageOptions();

        services.AddOptions<IdentifierOptions>().BindSettings();
        services.AddSingleton<IValidateOptions<IdentifierOptions>, IdentifierOptionsValidator>();

        services.AddOptions<AuthOptions>().BindSettings().PostConfigure(auth =>
        {
            foreach (var (name, issuer) in auth.Issuers)
            {
                issuer.Name = name;
                JwtProviderPresets.Apply(issuer);
            }
        });
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsRanges>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        // A function instance's disk is temporary: there the log (CloudWatch) is the audit trail, unless a file is named.
        services.AddOptions<AuditOptions>().BindSettings().PostConfigure<IOptions<StorageOptions>>((audit, storage) =>
            audit.FilePath ??= functionMode ? "" : Path.Combine(storage.Value.DataDirectory, "audit", "audit.jsonl"));

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>, IOptions<AuthOptions>>((kestrel, server, auth) =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel is configured while the application is built, before ServiceHost checks the
            // settings and reports a refusal; the server never starts then, so it needs no address.
            if (Accepted(server) is not { } serverOptions || Accepted(auth) is not { } authOptions)
            {
                return;
            }
            // The ingest endpoint sets its own per-request limit (RequestBodyReader).
            kestrel.Limits.MaxRequestBodySize = serverOptions.MaxBodyBytes;
            if (serverOptions.BindAddress(authOptions.Mode) is { } address)
            {
                Listen(kestrel, address);
            }
        });
        return services;
    }

    private static T? Accepted<T>(IOptions<T> options) where T : class
    {
        try
        {
            return options.Value;
        }
        catch (Exception refused) when (refused is OptionsValidationException or InvalidOperationException)
        {
            return null;
        }
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
