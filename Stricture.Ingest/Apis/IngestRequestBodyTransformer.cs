using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stricture.Ingest.Apis;

/// <summary>
/// Describes the POST /v1/artifacts body, and the batch's, in the OpenAPI document. The endpoint reads its body
/// itself (streaming, capped), and declaring it with <c>Accepts&lt;T&gt;</c> would make routing
/// answer a wrong Content-Type with its own bare 415 before the handler's problem body.
/// </summary>
internal sealed class IngestRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var (document, description) = operation.OperationId switch
        {
            ArtifactsApi.PostArtifactOperationId => (typeof(IngestRequestDocument),
                "A run record to store. Unknown fields are rejected. The body may be sent with Content-Encoding: gzip."),
            BatchArtifactsApi.PostBatchOperationId => (typeof(BatchRequestDocument),
                "1 to 100 run records to store, each as the body of POST /v1/artifacts. The body may be sent with Content-Encoding: gzip."),
            _ => (null, null),
        };
        if (document is null)
        {
            return;
        }
        var schema = await context.GetOrCreateSchemaAsync(document, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
            },
        };
    }
}
