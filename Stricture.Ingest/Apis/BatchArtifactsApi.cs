using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Ingest.Telemetry;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Apis;

/// <summary>
/// POST /v1/artifacts/batch: up to 100 artifact posts in one request, for backfills and replays. Each
/// item is parsed, authorized, stored and audited on its own by the single post's own steps
/// (<see cref="ArtifactPost"/>), so it answers exactly what posting it alone would: 202, 409 on a
/// taken run id, 400 or 403. The items are stored concurrently, so their catalog appends share
/// segments and their durable writes share flushes; the 200 lists every item's outcome in item order
/// and is sent only once every item is final. Only a malformed envelope, or what refuses the request
/// as a whole (authentication, the body cap, the media type), is one problem for the batch.
/// </summary>
public static partial class BatchArtifactsApi
{
    public const string PostBatchOperationId = "PostArtifactBatch";

    public static RouteGroupBuilder MapBatchArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireAuthorization(AuthorizationPolicies.WriteRuns).WithTags("Ingest");

        group.MapPost("/artifacts/batch", PostBatchAsync)
            .WithMetadata(AuditedAsIngest.Batch)
            .WithName(PostBatchOperationId)
            .WithSummary("Store up to 100 run records in one request")
            .WithDescription($"{{\"items\": [<artifact post>, ...]}} with 1 to {BatchEnvelopeParser.MaxItems} items, within the body cap. Each item is " +
                             "validated, authorized, stored and audited exactly as if posted alone to POST /v1/artifacts. Answers 200 with " +
                             "{\"results\": [...]}: per item, in item order, its index, the status a single post would answer (202, 400, 403, 409, " +
                             "503, ...) and that answer's fields (run_id, location, sha256, ...) or its problem. Accepts Content-Encoding: gzip.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return group;
    }

    internal sealed record BatchServices(
        [FromServices] RequestBodyReader BodyReader, [FromServices] ProjectAuthorization Projects, [FromServices] RecordStore Records,
        [FromServices] IngestMetrics Metrics, [FromServices] AuditLog Audit, [FromServices] TimeProvider Time,
        [FromServices] ILoggerFactory Loggers, [FromServices] IOptions<IdentifierOptions> Identifiers);

    internal static async Task<Results<Ok<BatchResponse>, Problem<Status400BadRequest>, Problem<Status413PayloadTooLarge>, Problem<Status415UnsupportedMediaType>>>
        PostBatchAsync(HttpContext context, [AsParameters] BatchServices services, CancellationToken cancellationToken)
    {
        var audit = context.Features.Get<IngestAuditFeature>() ?? new IngestAuditFeature();
        if (!(await services.BodyReader.ReadAsync(context.Request, cancellationToken)).TryGetValue(out var body, out var readProblem))
        {
            audit.Reject(readProblem.Code);
            return readProblem.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => readProblem.As<Status413PayloadTooLarge>(),
                StatusCodes.Status415UnsupportedMediaType => readProblem.As<Status415UnsupportedMediaType>(),
                _ => readProblem.As<Status400BadRequest>(),
            };
        }
        using (body)
        {
            audit.Received(body.Length);
            services.Metrics.RecordReceivedBytes(body.Length);
            if (!BatchEnvelopeParser.TryParse(body.Sequence, out var items, out var envelopeProblem))
            {
                audit.Reject(envelopeProblem.Code);
                return envelopeProblem.As<Status400BadRequest>();
            }
            // The request's own audit event says it was a batch; each item gets an event of its own.
            audit.Reject("batch");
            var logger = services.Loggers.CreateLogger(typeof(BatchArtifactsApi).FullName!);
            var results = await Task.WhenAll(items.Select((item, index) => StoreItemAsync(context, index, item, services, logger, cancellationToken)));
            return TypedResults.Ok(new BatchResponse(results));
        }
    }

    /// <summary>One item, as a single post of it would go, with its own audit event; a storage failure is the item's problem.</summary>
    private static async Task<BatchItemResult> StoreItemAsync(
        HttpContext context, int index, ReadOnlySequence<byte> item, BatchServices services, ILogger logger, CancellationToken cancellationToken)
    {
        // Items start on the thread pool, so a slow item's parse does not hold up the others' storage.
        await Task.Yield();
        var audit = new IngestAuditFeature();
        audit.Received(item.Length);
        BatchItemResult result;
        try
        {
            var stored = await ArtifactPost.StoreAsync(item, services.Identifiers.Value.Normalizes, (organization, project) => services.Projects.DecideAsync(context, organization, project, audit),
                services.Records, audit, tagActivity: false, cancellationToken);
            result = stored.TryGetValue(out var ingested, out var refused) ? Accepted(index, ingested) : Refused(index, refused);
        }
        catch (Exception exception) when (StorageFailureHandler.PostFailure(exception) is { } failure)
        {
            LogItemStoreFailure(logger, exception, index);
            audit.Reject(failure.Code);
            result = Refused(index, failure);
        }
        services.Audit.Write(IngestAuditMiddleware.EventOf(context, audit, "ingest", result.Status, item.Length, services.Time) with { BatchIndex = index });
        return result;
    }

    private static BatchItemResult Accepted(int index, IngestResult result) => result.Status == IngestStatus.Conflict
        ? Refused(index, RequestProblem.Conflict(result))
        : new BatchItemResult(index, StatusCodes.Status202Accepted)
        {
            RunId = result.RunId,
            Location = result.Location,
            Sha256 = result.Sha256,
            Size = result.Size,
            Created = result.Created,
            Drift = DriftResponse.FromNullable(result.Drift),
        };

    private static BatchItemResult Refused(int index, RequestProblem problem) => new(index, problem.Status) { Problem = problem.ToDocument() };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Storing item {Index} of a batch failed")]
    private static partial void LogItemStoreFailure(ILogger logger, Exception exception, int index);
}
