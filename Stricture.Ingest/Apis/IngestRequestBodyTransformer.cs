using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stricture.Ingest.Apis;

/// <summary>
/// Describes the POST /v1/artifacts body in the OpenAPI document. The endpoint reads its body
/// itself (streaming, capped), and declaring it with <c>Accepts&lt;T&gt;</c> would make routing
/// answer a wrong Content-Type with its own bare 415 before the handler's problem body.
/// </summary>
internal sealed class IngestRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != ArtifactsApi.PostArtifactOperationId)
        {
            return;
        }
        var schema = await context.GetOrCreateSchemaAsync(typeof(IngestRequestDocument), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A run record to store. Unknown fields are rejected. The body may be sent with Content-Encoding: gzip.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
            },
        };
    }
}
