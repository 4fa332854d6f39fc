using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth.Jwt;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>The bearer scheme, the policies that STRICTURE_SERVER_AUTH_MODE selects and the per-project authorization.</summary>
internal static class AuthRegistration
{
    /// <summary>A discovery document or key set is small; anything larger is not one.</summary>
    private const int MaxIssuerDocumentBytes = 1 << 20;

    public static IServiceCollection AddStrictureAuth(this IServiceCollection services)
    {
        services.AddSingleton<SharedTokenMatcher>();
        services.AddSingleton<JwtAuthenticator>();
        var issuerDocuments = services.AddHttpClient(JwtAuthenticator.HttpClientName, http => http.MaxResponseContentBufferSize = MaxIssuerDocumentBytes);
        // A request that needs the keys waits for the fetch: retry quickly and give up within seconds
        // (the caller then gets a 503 to retry), rather than with the service defaults' 30 seconds.
        // Replacing the defaults' handler is marked experimental (EXTEXP0001); the alternative is a
        // client outside the factory, without its telemetry and connection management.
#pragma warning disable EXTEXP0001
        issuerDocuments.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        issuerDocuments.AddStandardResilienceHandler(resilience =>
        {
            resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
            resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
        });

        // AuthenticationCore, not AddAuthentication: the latter also brings Data Protection, whose
        // key ring this server never uses and which wants a writable home directory.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = BearerAuthenticationHandler.SchemeName);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);

        services.AddAuthorization();
        services.AddSingleton<IAuthorizationHandler, ProjectScopeHandler>();
        services.AddSingleton<ProjectAuthorization>();
        services.AddSingleton<OrganizationReadScope>();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
        {
            foreach (var name in new[] { AuthorizationPolicies.WriteRuns, AuthorizationPolicies.ReadRuns })
            {
                authorization.AddPolicy(name, policy =>
                {
                    if (auth.Value.Mode != AuthMode.None)
                    {
                        // Which organizations and projects: ProjectAuthorization, once the endpoint knows them.
                        policy.RequireAuthenticatedUser();
                    }
                    else
                    {
                        // Mode none: allowed only on loopback, enforced at start-up (AuthOptionsValidator).
                        policy.RequireAssertion(_ => true);
                    }
                });
            }
        });
        return services;
    }
}
