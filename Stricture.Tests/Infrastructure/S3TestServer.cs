using Amazon.S3;
using Amazon.S3.Model;
using Stricture.Storage.S3;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The real S3 server the tests use: Ceph RADOS Gateway on 127.0.0.1, started by the project's own
/// <c>eng/s3-test-server.sh</c> (which installs it from Debian packages when missing). When the
/// STRICTURE_TEST_S3_* variables are set (eng/test.sh sets them) that server is used as is.
/// Tests that need it fail, never skip, when it cannot be started.
/// </summary>
public sealed class S3TestServer
{
    private static readonly Lazy<Task<S3TestServer>> Shared = new(StartAsync);

    private S3TestServer(IReadOnlyDictionary<string, string> environment)
    {
        Endpoint = new Uri(environment["STRICTURE_TEST_S3_ENDPOINT"]);
        AccessKey = environment["STRICTURE_TEST_S3_ACCESS_KEY"];
        SecretKey = environment["STRICTURE_TEST_S3_SECRET_KEY"];
        GatewayPidFile = environment.GetValueOrDefault("STRICTURE_TEST_S3_RGW_PID_FILE");
    }

    public Uri Endpoint { get; }
    public string AccessKey { get; }
    public string SecretKey { get; }

    /// <summary>The radosgw pid file, for tests that pause the S3 server (SIGSTOP) to simulate an outage.</summary>
    public string? GatewayPidFile { get; }

    public static Task<S3TestServer> GetAsync() => Shared.Value;

    public S3StoreSettings Settings(string bucket) => new()
    {
        Bucket = bucket,
        Endpoint = Endpoint,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        RequestTimeoutSeconds = 5,
    };

    /// <summary>The environment the ingest server reads to use this S3 server, as an operator (or the AppHost) would set it.</summary>
    public Dictionary<string, string?> IngestSettings(string bucket) => new()
    {
        ["STRICTURE_SERVER_STORAGE_DRIVER"] = "s3",
        ["STRICTURE_SERVER_OBJECT_BUCKET"] = bucket,
        ["ConnectionStrings:minio"] = $"Endpoint={Endpoint};AccessKey={AccessKey};SecretKey={SecretKey}",
    };

    /// <summary><see cref="IngestSettings"/> as process environment variables (<c>:</c> spelled <c>__</c>), for a started process.</summary>
    public Dictionary<string, string> IngestEnvironment(string bucket) =>
        IngestSettings(bucket).ToDictionary(setting => setting.Key.Replace(":", "__"), setting => setting.Value!);

    public AmazonS3Client CreateClient() => S3ClientFactory.Create(Settings("unused"));

    /// <summary>A new, empty bucket for one test class.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = "stricture-test-" + Guid.NewGuid().ToString("N")[..20];
        using var client = CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    private static async Task<S3TestServer> StartAsync()
    {
        var names = new[] { "STRICTURE_TEST_S3_ENDPOINT", "STRICTURE_TEST_S3_ACCESS_KEY", "STRICTURE_TEST_S3_SECRET_KEY" };
        if (names.All(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))))
        {
            return new S3TestServer(names.Concat(["STRICTURE_TEST_S3_RGW_PID_FILE"])
                .Where(name => Environment.GetEnvironmentVariable(name) is not null)
                .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name)!));
        }

        var stdout = await RepositoryScript.RunAsync("s3-test-server.sh", ["start"], TimeSpan.FromMinutes(10));
        var environment = stdout.Split('\n')
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\'', '"'));
        return new S3TestServer(environment);
    }
}
