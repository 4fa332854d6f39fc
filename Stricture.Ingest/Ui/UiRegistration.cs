using Microsoft.AspNetCore.DataProtection;
using Stricture.Ingest.Ui.Models;
using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Ui;

/// <summary>The runs browser's settings, page services and Data Protection (for the session cookie), and its request pipeline.</summary>
internal static class UiRegistration
{
    public static WebApplicationBuilder AddRunsBrowser(this WebApplicationBuilder builder, bool functionMode)
    {
        var services = builder.Services;
        services.AddOptions<UiOptions>().BindSettings().PostConfigure(ui => ui.FunctionMode = functionMode);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<UiOptions>, UiOptionsValidator>();

        services.AddRazorComponents();
        var protection = services.AddDataProtection().SetApplicationName("Stricture");
        if (builder.Configuration[UiOptions.KeysDirectorySetting] is { Length: > 0 } keys)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        else
        {
            // Not the default key ring, which wants a writable home directory (a container's often is not).
            protection.UseEphemeralDataProtectionProvider();
        }

        services.AddSingleton<UiSession>();
        services.AddSingleton<SummaryMarkdown>();
        services.AddSingleton<OrgOverviewReader>();
        services.AddSingleton<ServiceTimelineReader>();
        return builder;
    }

    /// <summary>Before authentication: the security headers of every /ui/ answer, and the session cookie's token as the credential.</summary>
    public static WebApplication UseRunsBrowserSession(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(UiPaths.Root), branch =>
        {
            branch.Use((context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var cacheControl = context.Response.Headers.CacheControl.ToString();
                    UiSecurityHeaders.Apply(context.Response);
                    if (cacheControl.StartsWith("public", StringComparison.Ordinal))
                    {
                        context.Response.Headers.CacheControl = cacheControl;
                    }
                    return Task.CompletedTask;
                });
                return next(context);
            });
            branch.UseMiddleware<UiSessionMiddleware>();
        });
        return app;
    }
}
