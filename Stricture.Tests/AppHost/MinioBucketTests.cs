extern alias apphost;

using Amazon.S3.Model;
using apphost::Stricture.AppHost;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost's bucket initializer (Stricture.AppHost/MinioBucket.cs),
/// against the real S3 server, with the connection string in the form the AppHost's MinIO resource gives.
/// </summary>
public sealed class MinioBucketTests
{
    [Fact]
    public async Task The_first_start_creates_the_bucket_and_every_later_start_finds_it()
    {
        var s3 = await S3TestServer.GetAsync();
        var connectionString = $"Endpoint={s3.Endpoint};AccessKey={s3.AccessKey};SecretKey={s3.SecretKey}";
        var bucket = "stricture-apphost-" + Guid.NewGuid().ToString("N")[..16];
        using var client = MinioBucket.CreateClient(connectionString);
        try
        {
            await MinioBucket.EnsureExistsAsync(connectionString, bucket, CancellationToken.None);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "probe", ContentBody = "kept" });

            await MinioBucket.EnsureExistsAsync(connectionString, bucket, CancellationToken.None);

            using var kept = await client.GetObjectAsync(bucket, "probe");
            Assert.Equal("kept", await new StreamReader(kept.ResponseStream).ReadToEndAsync());
        }
        finally
        {
            await client.DeleteObjectAsync(bucket, "probe");
            await client.DeleteBucketAsync(bucket);
        }
    }

    [Fact]
    public void A_connection_string_without_an_endpoint_is_refused_saying_what_it_needs()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => MinioBucket.CreateClient("AccessKey=a;SecretKey=b"));
        Assert.Contains("Endpoint=", exception.Message);
    }
}
