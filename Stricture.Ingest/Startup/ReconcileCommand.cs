using Stricture.Storage.Catalog;

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

    public static Task<int> RunAsync(string[] args) => StorageCommandHost.RunAsync(Name, args, async services =>
    {
        var report = await services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);
        Console.WriteLine(
            $"Reconciled {report.Runs} runs of {report.Services} services over {report.Days} days in {report.Elapsed.TotalSeconds:F1} s: " +
            $"added {report.EntriesAdded} manifest entries, moved {report.PointersMoved} latest pointers, " +
            $"skipped {report.Unreadable} unreadable payloads.");
        return report.Unreadable > 0 ? 2 : 0;
    });
}
