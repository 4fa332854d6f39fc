using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Apis;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Requests;
using Stricture.Ingest.Storage;
using Stricture.Ingest.Telemetry;

namespace Stricture.Ingest;

/// <summary>Registration for the ingest API: options, storage, auth, audit, telemetry, API description.</summary>
public static class IngestServiceExtensions
{
    public static WebApplicationBuilder AddIngestServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddSingleton<StrictureOptionsSetup>();
        services.AddSingleton<IConfigureOptions<ServerOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IConfigureOptions<StorageOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IConfigureOptions<AuthOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IConfigureOptions<AuditOptions>>(sp => sp.GetRequiredService<StrictureOptionsSetup>());
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<ServerOptions>().ValidateOnStart();
        services.AddOptions<StorageOptions>().ValidateOnStart();
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

        services.AddSingleton(TimeProvider.System);
        services.AddStrictureStorage();

        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RequestBodyReader>();

        services.AddSingleton<SharedTokenMatcher>();
        // AuthenticationCore, not AddAuthentication: the latter also brings Data Protection, whose
        // key ring this server never uses and which wants a writable home directory.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = SharedTokenAuthenticationHandler.SchemeName);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, SharedTokenAuthenticationHandler>(SharedTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
            authorization.AddPolicy(ArtifactsApi.IngestPolicy, policy =>
            {
                if (auth.Value.Mode == AuthMode.Token)
                {
                    policy.RequireAuthenticatedUser();
                }
                else
                {
                    // Mode none: allowed only on loopback, enforced at start-up (AuthOptionsValidator).
                    policy.RequireAssertion(_ => true);
                }
            }));

        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddOperationTransformer<IngestRequestBodyTransformer>());
        return builder;
    }

    public static WebApplication MapIngestApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<IngestAuditMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapHealthzApi();
        app.MapArtifactsApi();
        return app;
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
