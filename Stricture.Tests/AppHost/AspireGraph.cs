extern alias apphost;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3;
using apphost::Stricture.AppHost;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.AppHost;

/// <summary>
/// The AppHost's whole graph started through Aspire.Hosting.Testing, once per test class: the real
/// S3 test server as the existing store (<c>ConnectionStrings:minio</c>), the ingest API in mirror
/// mode and the replicator as processes under the orchestrator. The bucket is new and not created
/// here: the AppHost must create it before the services start. The testing builder gives ingest a
/// random port instead of <c>Stricture:IngestPort</c> (AppHostModelTests checks that setting).
/// </summary>
public sealed class AspireGraph : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private readonly TestDirectory _data = new();

    public DistributedApplication App { get; private set; } = null!;

    public S3TestServer S3 { get; private set; } = null!;

    public string Bucket { get; } = "stricture-graph-" + Guid.NewGuid().ToString("N")[..16];

    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public AmazonS3Client BucketClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        S3 = await S3TestServer.GetAsync();
        var connectionString = $"Endpoint={S3.Endpoint};AccessKey={S3.AccessKey};SecretKey={S3.SecretKey}";
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Projects.Stricture_AppHost>(
            [
                $"ConnectionStrings:minio={connectionString}",
                $"Parameters:ingest-token={Token}",
                $"Stricture:Bucket={Bucket}",
                $"Stricture:DataDirectory={_data.Path}",
            ],
            timeout.Token);
        // The services' own logs reach the test output only when something goes wrong.
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        App = await appHost.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("ingest", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("replicator", timeout.Token);
        BucketClient = MinioBucket.CreateClient(connectionString);
    }

    /// <summary>An HTTP client for ingest through the graph's own endpoint, with or without the ingest token.</summary>
    public HttpClient IngestClient(bool authenticated = true)
    {
        var client = App.CreateHttpClient("ingest", "http");
        client.Timeout = TimeSpan.FromSeconds(60);
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        return client;
    }

    /// <summary>The object's bytes once the replicator has copied them; null if that has not happened within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> ReadFromBucketWhenPresentAsync(string key, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await BucketClient.GetObjectAsync(Bucket, key);
                using var content = new MemoryStream();
                await response.ResponseStream.CopyToAsync(content);
                return content.ToArray();
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
        return null;
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        BucketClient?.Dispose();
        _data.Dispose();
    }
}
