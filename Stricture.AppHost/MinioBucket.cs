using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stricture.Storage.S3;

namespace Stricture.AppHost;

/// <summary>
/// Creates the records bucket when MinIO first answers: the services refuse to start on a bucket
/// that does not exist, and a fresh MinIO volume has none. Idempotent, so every start of the graph
/// may call it. Plain AWS SDK code, without Aspire types, so that the tests compile it too and
/// run it against the real S3 server.
/// </summary>
internal static class MinioBucket
{
    /// <summary>Creates <paramref name="bucket"/> unless it exists; <paramref name="connectionString"/> is MinIO's: <c>Endpoint=...;AccessKey=...;SecretKey=...</c>.</summary>
    public static async Task EnsureExistsAsync(string connectionString, string bucket, CancellationToken cancellationToken)
    {
        using var client = CreateClient(connectionString);
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            // BucketAlreadyOwnedByYou (or BucketAlreadyExists on some servers): prove it is ours.
            await client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken);
        }
    }

    /// <summary>An S3 client for the MinIO connection string, configured as the services configure theirs.</summary>
    public static AmazonS3Client CreateClient(string connectionString)
    {
        if (!S3ConnectionString.TryParse(connectionString, out var connection, out var why))
        {
            throw new InvalidOperationException($"The MinIO connection string cannot be used: {why}.");
        }
        return S3ClientFactory.Create(new S3StoreSettings
        {
            Bucket = "unused",
            Endpoint = connection!.Endpoint,
            AccessKey = connection.AccessKey,
            SecretKey = connection.SecretKey,
        });
    }
}
