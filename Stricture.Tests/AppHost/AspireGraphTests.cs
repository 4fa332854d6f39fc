using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3;
using Aspire.Hosting.Testing;
using Stricture.AppHost;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost's own graph, started through Aspire.Hosting.Testing: MinIO in a container, ingest
/// and the replicator as projects. Compiled and run only with -p:StrictureAspire=true, where the
/// Aspire packages restore and a container runtime runs (docs/deployment.md). The same topology
/// runs here as plain processes in MirrorGraph (Graph/GraphScenarioTests.cs).
/// </summary>
public sealed class AspireGraphTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task An_artifact_posted_to_ingest_is_replicated_to_the_MinIO_bucket()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var cancellationToken = timeout.Token;
        using var data = new TestDirectory();
        const string bucket = "stricture-graph-test";
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        // AppHost configuration as arguments: the secret parameters, a fresh data directory and,
        // without the data volume, a fresh MinIO, so the AppHost must create the bucket itself.
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Stricture_AppHost>(
            [
                $"Parameters:minio-password={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}",
                $"Parameters:ingest-token={token}",
                $"Stricture:Bucket={bucket}",
                $"Stricture:DataDirectory={data.Path}",
                "MinIO:DataVolume=false",
            ],
            cancellationToken);
        await using var app = await appHost.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("ingest", cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("replicator", cancellationToken);

        using var http = app.CreateHttpClient("ingest");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.PostAsync(Posts.Valid(runId: "aspire-graph-001"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonBodyAsync();
        var location = accepted.GetProperty("location").GetString()!;

        var connectionString = await app.GetConnectionStringAsync("minio", cancellationToken);
        using var minio = MinioBucket.CreateClient(connectionString!);
        Assert.Equal(accepted.GetProperty("sha256").GetString(), Posts.Sha256(await ReadWhenPresentAsync(minio, bucket, location, cancellationToken)));
    }

    /// <summary>The object's bytes once the replicator has copied it; polls until then.</summary>
    private static async Task<byte[]> ReadWhenPresentAsync(AmazonS3Client client, string bucket, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
                using var content = new MemoryStream();
                await response.ResponseStream.CopyToAsync(content, cancellationToken);
                return content.ToArray();
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }
}
