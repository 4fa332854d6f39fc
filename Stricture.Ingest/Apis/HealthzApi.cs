namespace Stricture.Ingest.Apis;

/// <summary>The spec's v0 liveness endpoint, kept for existing clients; never authenticated.</summary>
public static class HealthzApi
{
    public static IEndpointRouteBuilder MapHealthzApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthzResponse("ok")))
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("Healthz")
            .WithSummary("Liveness, as the v0 spec defines it");
        return app;
    }

    public sealed record HealthzResponse([property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status);
}
