using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Stricture.Storage.S3;

namespace Stricture.Bench;

/// <summary>
/// A fresh bucket for one run, shared by the raw PUT baseline and the server, so both write into
/// the same bucket index under the same conditions and no run sees another's keys. The client comes
/// from the product's own <see cref="S3ClientFactory"/> with the server's default settings (timeout,
/// retries, checksums), so the baseline's client and the server's client are configured alike.
/// Disposing empties and deletes the bucket: the test server keeps objects in RAM and other
/// sessions use it too.
/// </summary>
internal sealed class S3Bucket : IAsyncDisposable
{
    private static readonly TimeSpan CleanUpTimeout = TimeSpan.FromSeconds(120);

    private readonly S3TestServer _server;

    private S3Bucket(S3TestServer server, string name, AmazonS3Client client)
    {
        _server = server;
        Name = name;
        Client = client;
    }

    public string Name { get; }

    public IAmazonS3 Client { get; }

    /// <summary>The server's environment for the s3 driver on this bucket; the keys come in the Aspire connection string.</summary>
    public IReadOnlyDictionary<string, string> ServerSettings => SettingsFor("s3");

    /// <summary>
    /// The environment for mirror mode on this bucket: ingest writes the data directory and spools;
    /// the replicator (and its verify command) copies the spooled runs here. Both read the same settings.
    /// </summary>
    public IReadOnlyDictionary<string, string> MirrorSettings => SettingsFor("mirror");

    private Dictionary<string, string> SettingsFor(string driver) => new()
    {
        ["STRICTURE_SERVER_STORAGE_DRIVER"] = driver,
        ["STRICTURE_SERVER_OBJECT_BUCKET"] = Name,
        ["ConnectionStrings__minio"] =
            $"Endpoint={_server.Endpoint.GetLeftPart(UriPartial.Authority)};AccessKey={_server.AccessKey};SecretKey={_server.SecretKey}",
    };

    /// <summary>A new bucket; <paramref name="label"/> (lower case) tells apart the buckets of one run.</summary>
    public static async Task<S3Bucket> CreateAsync(S3TestServer server, string? label, CancellationToken cancellationToken)
    {
        // Bucket names are lower case, at most 63 characters; time and pid make this one unique on the server.
        var name = $"stricture-bench-{DateTime.UtcNow:yyyyMMdd't'HHmmss}-{Environment.ProcessId}{(label is null ? "" : "-" + label)}";
        var client = S3ClientFactory.Create(new S3StoreSettings
        {
            Bucket = name,
            Endpoint = server.Endpoint,
            AccessKey = server.AccessKey,
            SecretKey = server.SecretKey,
        });
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new S3Bucket(server, name, client);
    }

    /// <summary>
    /// Deletes every object (1,000 per request) and then the bucket. Runs after Ctrl+C too, so it
    /// takes no cancellation token, only its own time limit; a failure is reported, not thrown, so
    /// it cannot hide the run's own result.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(CleanUpTimeout);
        var clock = Stopwatch.StartNew();
        var deleted = 0;
        try
        {
            while (true)
            {
                // Always the first page: each round deletes what the previous listing returned.
                var listing = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name, MaxKeys = 1000 }, timeout.Token);
                var keys = (listing.S3Objects ?? []).Select(o => new KeyVersion { Key = o.Key }).ToList();
                if (keys.Count == 0)
                {
                    break;
                }
                var result = await Client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Name, Objects = keys, Quiet = true }, timeout.Token);
                if (result.DeleteErrors is { Count: > 0 } errors)
                {
                    throw new InvalidOperationException($"{errors.Count} objects not deleted, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
                }
                deleted += keys.Count;
            }
            await Client.DeleteBucketAsync(new DeleteBucketRequest { BucketName = Name }, timeout.Token);
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] s3: deleted bucket {Name} and its {deleted:N0} objects in {clock.Elapsed.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is AmazonS3Exception or OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
            Console.Error.WriteLine($"warning: could not delete bucket {Name} ({deleted:N0} objects deleted): {exception.Message}");
        }
        finally
        {
            Client.Dispose();
        }
    }
}
