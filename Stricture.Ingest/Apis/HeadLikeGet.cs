namespace Stricture.Ingest.Apis;

/// <summary>
/// HEAD is answered wherever GET is (RFC 9110 9.3.2), as clients of the upstream server probe
/// <c>HEAD /healthz</c>: one endpoint convention adds HEAD to the methods of every GET endpoint it
/// is applied to, so the GET handler runs and the server sends its status and headers without the
/// body (Kestrel discards a HEAD response's body; the Lambda adapter drops it likewise). Applied to
/// the group every API is mapped on, it covers endpoints added later without a copy per endpoint.
/// </summary>
public static class HeadLikeGet
{
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            // Routing reads the last HttpMethodMetadata, so the one added here takes effect.
            if (endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault() is { } methods &&
                methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) &&
                !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return builder;
    }
}
