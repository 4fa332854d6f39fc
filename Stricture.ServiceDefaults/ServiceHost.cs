using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How every Stricture service and command is built and started. A setting the service refuses is
/// the operator's mistake, not a crash: it gets one line per problem on standard error, naming the
/// setting and what to set instead, and exit code 1, never a stack trace. So settings are checked
/// here, before the host starts (the host would log the same refusal with its stack trace).
/// </summary>
public static class ServiceHost
{
    /// <summary>
    /// The web application builder, without configuration reload: its file watcher would watch the
    /// content root recursively, and the default data directory lives under it (one inotify watch per record directory).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

    /// <summary>Every problem with the settings registered to be validated at start, one line each; empty when there is none.</summary>
    public static IReadOnlyList<string> RefusedSettings(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException refused)
        {
            return refused.Failures.Distinct().ToList();
        }
        catch (AggregateException refused) when (refused.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // A refused setting is reported again by every options class that reads it.
            return refused.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Distinct().ToList();
        }
        catch (InvalidOperationException unreadable) when (unreadable.InnerException is not null)
        {
            // The configuration binder: a value that is not of its setting's type ("abc" for a number), naming the setting.
            return [unreadable.Message];
        }
    }

    /// <summary>Writes the refused settings to standard error, each prefixed with <paramref name="command"/> when given.</summary>
    /// <returns>Whether there were any: then the caller exits.</returns>
    public static bool ReportRefusedSettings(IServiceProvider services, string? command = null)
    {
        var refused = RefusedSettings(services);
        foreach (var line in refused)
        {
            Console.Error.WriteLine(command is null ? line : $"{command}: {line}");
        }
        return refused.Count > 0;
    }

    /// <summary>Runs a service until it is stopped. Exit code 0, or 1 when it refused its settings or could not start.</summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        if (ReportRefusedSettings(app.Services))
        {
            return 1;
        }
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or IOException)
        {
            // A start-up check beyond the settings (the bucket, the data directory's lock): the host
            // has already logged why. Exit with a plain failure code rather than an unhandled-exception abort.
            return 1;
        }
    }
}
