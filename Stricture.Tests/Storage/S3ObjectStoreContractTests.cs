using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Storage;

/// <summary>The storage contract on the S3 driver, against a real S3 server (Ceph RADOS Gateway on loopback).</summary>
public sealed class S3ObjectStoreContractTests : ObjectStoreContract
{
    private S3TestServer _server = null!;
    private string _bucket = null!;

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        _server = await S3TestServer.GetAsync();
        _bucket = await _server.CreateBucketAsync();
        var settings = _server.Settings(_bucket);
        return new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
    }

    protected override async Task CorruptAsync(string key)
    {
        // Bit rot or a hand edit: other bytes under the SHA-256 recorded for the original ones.
        using var client = _server.CreateClient();
        var original = await client.GetObjectMetadataAsync(_bucket, key);
        var put = new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "{\"intact\":false}", UseChunkEncoding = false };
        put.Metadata[S3ObjectStore.Sha256MetadataKey] = original.Metadata[S3ObjectStore.Sha256MetadataKey];
        await client.PutObjectAsync(put);
    }

    [Fact]
    public async Task The_sha256_is_stored_as_object_metadata()
    {
        await using var staged = await Store.StageBytesAsync(Bytes("metadata"), default);
        await Store.CommitIfAbsentAsync(staged, "meta.json", default);

        using var client = _server.CreateClient();
        var head = await client.GetObjectMetadataAsync(_bucket, "meta.json");
        Assert.Equal(staged.Sha256, head.Metadata[S3ObjectStore.Sha256MetadataKey]);
    }
}
