using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Apis;
using Stricture.Ingest.Configuration;

namespace Stricture.Ingest.Auth;

/// <summary>The shared-token scheme and the "ingest" policy that STRICTURE_SERVER_AUTH_MODE selects.</summary>
internal static class AuthRegistration
{
    public static IServiceCollection AddStrictureAuth(this IServiceCollection services)
    {
        services.AddSingleton<SharedTokenMatcher>();
        // AuthenticationCore, not AddAuthentication: the latter also brings Data Protection, whose
        // key ring this server never uses and which wants a writable home directory.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = SharedTokenAuthenticationHandler.SchemeName);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, SharedTokenAuthenticationHandler>(SharedTokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
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
        return services;
    }
}
