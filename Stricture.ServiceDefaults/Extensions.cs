using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Stricture service shares: OpenTelemetry (exported over OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, as the Aspire dashboard and most collectors expect), health
/// checks, service discovery and resilient HTTP clients. Mirrors the Aspire service-defaults template,
/// except that OpenTelemetry is set up only when there is somewhere to export to.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every check. Kubernetes readiness probes and the AppHost point here.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only checks tagged "live", so a slow dependency never gets the process restarted.</summary>
    public const string AlivenessEndpointPath = "/alive";

    public const string LiveTag = "live";

    /// <summary>The standard OpenTelemetry setting: where to export logs, metrics and traces over OTLP.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Meters and activity sources of our own, by name prefix.</summary>
    private const string StrictureTelemetryPrefix = "Stricture.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Without an exporter its providers would collect for nobody, and building them (the default
        // resource, the instrumentation) is a tenth of a function's cold start (docs/benchmarks.md).
        // The service's own meters and activities exist either way (dotnet-counters, tests, log scopes).
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            builder.ConfigureOpenTelemetry();
        }
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(StrictureTelemetryPrefix))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(StrictureTelemetryPrefix)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath) &&
                        !context.Request.Path.StartsWithSegments(AlivenessEndpointPath) &&
                        !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps /health and /alive in every environment (Kubernetes probes need them). The responses
    /// carry only the aggregate status word, nothing about the checks or the configuration.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        return app;
    }
}
