using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Ingest.Telemetry;
using Stricture.Storage.Records;
using IngestAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Accepted<Stricture.Ingest.Apis.IngestResponse>,
    Stricture.Ingest.Problems.Problem<Stricture.Ingest.Problems.Status400BadRequest>,
    Stricture.Ingest.Problems.Problem<Stricture.Ingest.Problems.Status403Forbidden>,
    Stricture.Ingest.Problems.Problem<Stricture.Ingest.Problems.Status409Conflict>,
    Stricture.Ingest.Problems.Problem<Stricture.Ingest.Problems.Status413PayloadTooLarge>,
    Stricture.Ingest.Problems.Problem<Stricture.Ingest.Problems.Status415UnsupportedMediaType>>;

namespace Stricture.Ingest.Apis;

/// <summary>POST /v1/artifacts: validate, store durably and idempotently, answer 202.</summary>
public static class ArtifactsApi
{
    public const string PostArtifactOperationId = "PostArtifact";

    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireAuthorization(AuthorizationPolicies.WriteRuns).WithTags("Ingest");

        group.MapPost("/artifacts", PostArtifactAsync)
            .WithMetadata(AuditedAsIngest.Instance)
            .WithName(PostArtifactOperationId)
            .WithSummary("Store one run record")
            .WithDescription("Stores a lineage-export artifact (with optional diff, summary and metadata) as an immutable run record. " +
                             "Answers 202 only once the record is durable. Posting the same run_id with the same content again returns " +
                             "the same location; with other content, 409. Accepts Content-Encoding: gzip.")
            // The handler's union gives the rest; these come from authentication and StorageFailureHandler.
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        return group;
    }

    /// <summary>
    /// What the handler needs, resolved from DI as one parameter. Marked as services explicitly: the
    /// request delegate generator cannot tell a service from a JSON body at build time, and a body
    /// parameter would make routing answer a wrong Content-Type with a bare 415.
    /// </summary>
    internal sealed record IngestServices(
        [FromServices] RequestBodyReader BodyReader, [FromServices] ProjectAuthorization Projects, [FromServices] RecordStore Records,
        [FromServices] IngestMetrics Metrics, [FromServices] IOptions<IdentifierOptions> Identifiers);

    internal static async Task<IngestAnswer> PostArtifactAsync(
        HttpContext context, [AsParameters] IngestServices services, CancellationToken cancellationToken)
    {
        var audit = context.Features.Get<IngestAuditFeature>() ?? new IngestAuditFeature();

        if (!(await services.BodyReader.ReadAsync(context.Request, cancellationToken)).TryGetValue(out var body, out var readProblem))
        {
            audit.Reject(readProblem.Code);
            return Reject(readProblem);
        }
        using (body)
        {
            audit.Received(body.Length);
            services.Metrics.RecordReceivedBytes(body.Length);

            // A storage failure becomes its problem in StorageFailureHandler.
            var stored = await ArtifactPost.StoreAsync(body.Sequence, services.Identifiers.Value.Normalizes, (organization, project) => services.Projects.CheckAsync(context, organization, project),
                services.Records, audit, tagActivity: true, cancellationToken);
            if (!stored.TryGetValue(out var result, out var refused))
            {
                return Reject(refused);
            }
            if (result.Status == IngestStatus.Conflict)
            {
                return RequestProblem.Conflict(result).As<Status409Conflict>();
            }
            // The identifiers as stored (renamed under STRICTURE_SERVER_IDENTIFIERS=normalize), which the post identified.
            var service = audit.Service!;
            return TypedResults.Accepted((string?)null,
                new IngestResponse(true, service.Organization, service.Project, service.Service,
                    result.RunId, result.Location, result.Sha256, result.Size, result.Created, DriftResponse.FromNullable(result.Drift),
                    result.Assessment?.Impact, GateResponse.From(result.Assessment?.Gate)));
        }
    }

    private static IngestAnswer Reject(RequestProblem problem) =>
        problem.Status switch
        {
            StatusCodes.Status403Forbidden => problem.As<Status403Forbidden>(),
            StatusCodes.Status413PayloadTooLarge => problem.As<Status413PayloadTooLarge>(),
            StatusCodes.Status415UnsupportedMediaType => problem.As<Status415UnsupportedMediaType>(),
            // 400, and Kestrel's own verdict on a malformed body, which it may give another status.
            _ => problem.As<Status400BadRequest>(),
        };
}
