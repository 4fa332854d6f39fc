using Stricture.Function.Lambda;
using Stricture.Ingest.Apis;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Function;
using Stricture.Ingest.Policy;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Ingest.Startup;
using Stricture.Ingest.Telemetry;
using Stricture.Ingest.Ui;
using Stricture.Ingest.Webhooks;

namespace Stricture.Ingest;

/// <summary>
/// Registration for the ingest API: options, storage, auth, audit, telemetry, API description; and,
/// under the Lambda runtime, function mode (the same application on the Runtime API instead of Kestrel).
/// </summary>
public static class IngestServiceExtensions
{
    public static WebApplicationBuilder AddIngestServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var functionMode = FunctionMode.IsSelected(builder.Configuration);

        services.AddStrictureOptions(functionMode);
        services.AddSingleton(TimeProvider.System);
        services.AddRecordStore(startupWork: !functionMode);
        services.AddBlastRadiusAndGates();

        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RequestBodyReader>();
        // A function has no life between invocations: it enqueues, and the webhooks command delivers (docs/operations.md).
        services.AddWebhooks(dispatch: !functionMode);

        services.AddStrictureAuth();
        builder.AddRunsBrowser(functionMode);

        // Every problem, the framework's own (404, 405) included, also carries the upstream server's error member.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context => ProblemDocument.AddErrorMember(context.ProblemDetails));
        services.AddExceptionHandler<StorageFailureHandler>();
        services.AddOpenApi(openApi => openApi.AddOperationTransformer<IngestRequestBodyTransformer>().AddDocumentTransformer<HeadOperationsTransformer>());

        if (functionMode)
        {
            builder.AddFunctionMode();
        }
        return builder;
    }

    public static WebApplication MapIngestApi(this WebApplication app)
    {
        // Outside the exception handler, so that a post refused by a storage failure is audited with its problem.
        app.UseMiddleware<IngestAuditMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRunsBrowserSession();
        app.UseAuthentication();
        app.UseAuthorization();

        // One group for every API, so that each GET endpoint, present or future, also answers HEAD.
        var api = app.MapGroup("").AnswerHeadLikeGet();
        api.MapOpenApi();
        api.MapHealthzApi();
        api.MapArtifactsApi();
        api.MapBatchArtifactsApi();
        api.MapRunsApi();
        api.MapOrgsApi();
        api.MapCommitsApi();
        app.MapRunsBrowser();
        return app;
    }
}
