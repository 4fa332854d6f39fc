using Amazon.S3;

namespace Stricture.Tests.Infrastructure;

/// <summary>A test class with a fresh bucket of its own on the real S3 server, and a client to look inside it.</summary>
public abstract class BucketTest : IAsyncLifetime
{
    protected S3TestServer S3 { get; private set; } = null!;

    protected string Bucket { get; private set; } = null!;

    protected AmazonS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        S3 = await S3TestServer.GetAsync();
        Bucket = await S3.CreateBucketAsync();
        Client = S3.CreateClient();
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    protected async Task<byte[]> ReadObjectAsync(string key)
    {
        using var response = await Client.GetObjectAsync(Bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
