using Stricture.BareFunction;
using Stricture.Function.Lambda;

// The template's app: CreateBuilder, one endpoint, nothing else. Under the Lambda runtime it
// serves invocations through the adapter Stricture.Ingest uses; otherwise it listens (Kestrel).
// With BARE_S3_BUCKET set it has a second endpoint that stores one object with the AWS SDK: the
// baseline for a first post, which has to reach the bucket too.
var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration[LambdaRuntimeRegistration.RuntimeApiVariable] is { Length: > 0 } runtimeApi)
{
    builder.Services.AddLambdaRuntimeServer(runtimeApi);
}

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new HealthzResponse("ok")));
if (app.Configuration[BareObjectStore.BucketVariable] is { Length: > 0 })
{
    app.MapPost("/objects/{key}", BareObjectStore.PutAsync);
}
app.Run();

internal sealed record HealthzResponse(string Status);
