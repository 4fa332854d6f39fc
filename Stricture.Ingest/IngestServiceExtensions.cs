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

        services.AddStrictureOptions();
        services.AddSingleton(TimeProvider.System);
        services.AddStrictureStorage();

        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RequestBodyReader>();

        services.AddStrictureAuth();

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
        app.MapRunsApi();
        return app;
    }
}
