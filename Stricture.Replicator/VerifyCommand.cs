using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.S3;

namespace Stricture.Replicator;

/// <summary>
/// <c>Stricture.Replicator verify</c>: compares the local records tree with the bucket, with the
/// same settings as the replicator, prints every difference and a summary, and exits 0 when there
/// is none, 1 when there are differences, 2 when it could not compare. Safe while ingest and the
/// replicator run (a run being copied may show as missing until it is).
/// </summary>
internal static class VerifyCommand
{
    public const string Name = "verify";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = ServiceHost.CreateBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddReplication();
        await using var app = builder.Build();
        if (ServiceHost.ReportRefusedSettings(app.Services, Name))
        {
            return 2;
        }
        try
        {
            var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var bucket = app.Services.GetRequiredService<IOptions<S3StoreSettings>>().Value.Bucket;
            var report = await app.Services.GetRequiredService<MirrorVerifier>().VerifyAsync(CancellationToken.None);
            foreach (var difference in report.Differences)
            {
                Console.WriteLine($"{difference.Kind} {difference.Key}");
            }
            Console.WriteLine(
                $"Compared {report.CheckedKeys} keys of {storage.DataDirectory} with bucket {bucket}: {report.Differences.Count} differences.");
            if (report.Unlisted > 0)
            {
                Console.WriteLine(
                    $"{report.Unlisted} objects are in the bucket, read by key with the right SHA-256, but missing from its listing (the store's listing lags; not a difference).");
            }
            return report.Differences.Count == 0 ? 0 : 1;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectStoreUnavailableException or IOException)
        {
            Console.Error.WriteLine($"{Name}: {exception.Message}");
            return 2;
        }
    }
}
