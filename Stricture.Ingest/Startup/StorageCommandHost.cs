using Stricture.Storage.Configuration;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Startup;

/// <summary>
/// The host a storage command (reconcile, import) runs in: the server's own storage settings and
/// record store, without the web host, with <see cref="StorageStartup"/> run around the work (on the
/// filesystem it takes the data directory's lock, so such a command runs while the server is
/// stopped; on an object store it checks the bucket). A refused setting or an unreachable store is
/// reported in one line prefixed with the command's name, and exit code 1.
/// </summary>
internal static class StorageCommandHost
{
    public const int CouldNotRun = 1;

    public static async Task<int> RunAsync(string name, string[] settings, Func<IServiceProvider, Task<int>> work)
    {
        var builder = ServiceHost.CreateBuilder(settings);
        builder.Services.AddStorageOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRecordStore(startupWork: false); // StorageStartup is run below, around the work
        await using var app = builder.Build();
        if (ServiceHost.ReportRefusedSettings(app.Services, name))
        {
            return CouldNotRun;
        }
        try
        {
            // Made directly rather than found among the hosted services, which would construct them all (the web host's included).
            var startup = ActivatorUtilities.CreateInstance<StorageStartup>(app.Services);
            await startup.StartAsync(CancellationToken.None);
            try
            {
                return await work(app.Services);
            }
            finally
            {
                await startup.StopAsync(CancellationToken.None);
                startup.Dispose();
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectStoreUnavailableException or IOException)
        {
            Console.Error.WriteLine($"{name}: {exception.Message}");
            return CouldNotRun;
        }
    }
}
