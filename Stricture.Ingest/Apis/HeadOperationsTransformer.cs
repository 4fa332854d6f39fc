using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stricture.Ingest.Apis;

/// <summary>
/// Keeps the HEAD twins that <see cref="HeadLikeGet"/> adds out of the OpenAPI document: each would
/// repeat its GET operation, operationId included (operationIds must be unique). HEAD answers like
/// GET without the body, as HTTP defines it and docs/api.md says once.
/// </summary>
internal sealed class HeadOperationsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var path in document.Paths.Values)
        {
            path.Operations?.Remove(HttpMethod.Head);
        }
        return Task.CompletedTask;
    }
}
