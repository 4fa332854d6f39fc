using Stricture.Storage.Catalog;
using Stricture.Storage.Configuration;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Startup;

/// <summary>
/// <c>Stricture.Ingest reconcile</c>: rebuilds manifests and latest pointers from the payloads with
/// the server's own configuration, prints what it repaired, and exits. On the filesystem driver it
/// takes the data directory's lock, so it runs while the server is stopped (a running server
/// reconciles at start-up); on an object store it is safe beside running servers.
/// Exit codes: 0 done, 1 could not run (configuration, storage), 2 done but some payloads were unreadable.
/// </summary>
internal static class ReconcileCommand
{
    public const string Name = "reconcile";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = ServiceHost.CreateBuilder(args);
        builder.Services.AddStorageOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRecordStore(startupWork: false); // the command runs StorageStartup itself, below
        await using var app = builder.Build();
        if (ServiceHost.ReportRefusedSettings(app.Services, Name))
        {
            return 1;
        }
        try
        {
            // Made directly rather than found among the hosted services, which would construct them all (the web host's included).
            var startup = ActivatorUtilities.CreateInstance<StorageStartup>(app.Services);
            await startup.StartAsync(CancellationToken.None);
            try
            {
                var report = await app.Services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);
                Console.WriteLine(
                    $"Reconciled {report.Runs} runs of {report.Services} services over {report.Days} days in {report.Elapsed.TotalSeconds:F1} s: " +
                    $"added {report.EntriesAdded} manifest entries, moved {report.PointersMoved} latest pointers, " +
                    $"skipped {report.Unreadable} unreadable payloads.");
                return report.Unreadable > 0 ? 2 : 0;
            }
            finally
            {
                await startup.StopAsync(CancellationToken.None);
                startup.Dispose();
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectStoreUnavailableException or IOException)
        {
            Console.Error.WriteLine($"{Name}: {exception.Message}");
            return 1;
        }
    }
}
