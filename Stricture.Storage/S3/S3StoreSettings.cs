using Microsoft.Extensions.Configuration;
using Stricture.Storage.Configuration;

namespace Stricture.Storage.S3;

public enum S3Flavor
{
    /// <summary>AWS S3, or an S3-compatible server (MinIO, Ceph RADOS Gateway) when an endpoint is set.</summary>
    S3,
    /// <summary>Cloudflare R2: region "auto", no streaming (aws-chunked) payload signing.</summary>
    R2,
}

/// <summary>
/// Everything the S3 driver needs to reach one bucket: bound from the STRICTURE_SERVER_OBJECT_*
/// settings and the Aspire connection string, then completed by <see cref="S3StoreSettingsSetup"/>
/// (flavor, endpoint and keys derived from the other settings).
/// </summary>
public sealed record S3StoreSettings
{
    public const string BucketSetting = "STRICTURE_SERVER_OBJECT_BUCKET";
    public const string EndpointSetting = "STRICTURE_SERVER_OBJECT_ENDPOINT";
    public const string RegionSetting = "STRICTURE_SERVER_OBJECT_REGION";
    public const string PathStyleSetting = "STRICTURE_SERVER_OBJECT_PATH_STYLE";
    public const string RequestTimeoutSetting = "STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS";
    public const string MaxRetriesSetting = "STRICTURE_SERVER_OBJECT_MAX_RETRIES";
    public const string R2AccountIdSetting = "STRICTURE_SERVER_R2_ACCOUNT_ID";

    /// <summary>The Aspire AppHost's MinIO reference (environment variable ConnectionStrings__minio).</summary>
    public const string ConnectionStringSetting = "ConnectionStrings:minio";

    [ConfigurationKeyName(BucketSetting)]
    public string Bucket { get; set; } = "";

    public S3Flavor Flavor { get; set; } = S3Flavor.S3;

    /// <summary>An S3-compatible endpoint (https://minio.example:9000); null means AWS S3.</summary>
    [ConfigurationKeyName(EndpointSetting)]
    public Uri? Endpoint { get; set; }

    /// <summary>Signing region; when unset: AWS_REGION (else "us-east-1") on AWS S3, "us-east-1" for custom endpoints, "auto" for R2.</summary>
    [ConfigurationKeyName(RegionSetting)]
    public string? Region { get; set; }

    /// <summary>
    /// The region on AWS S3 itself (no endpoint): <see cref="Region"/>, else AWS_REGION, which is where
    /// Lambda (and ECS, CodeBuild) runs the process and the bucket usually is, else us-east-1.
    /// </summary>
    public string AwsRegion => Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";

    /// <summary>Path-style addressing (bucket in the path, not the host name); on by default with an endpoint.</summary>
    [ConfigurationKeyName(PathStyleSetting)]
    public bool? ForcePathStyle { get; set; }

    /// <summary>The Cloudflare account id; the R2 endpoint is derived from it.</summary>
    [ConfigurationKeyName(R2AccountIdSetting)]
    public string? R2AccountId { get; set; }

    /// <summary><c>Endpoint=...;AccessKey=...;SecretKey=...</c>: endpoint and keys; explicit settings win over it.</summary>
    [ConfigurationKeyName(ConnectionStringSetting)]
    public string? ConnectionString { get; set; }

    /// <summary>Static credentials; when null the AWS SDK's default chain is used (environment, profile, IAM role, web identity).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Time allowed for one HTTP attempt.</summary>
    [ConfigurationKeyName(RequestTimeoutSetting)]
    [SettingRange(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    /// <summary>Retries after the first attempt for timeouts, 5xx and throttling (SDK standard retry mode: exponential backoff with jitter).</summary>
    [ConfigurationKeyName(MaxRetriesSetting)]
    [SettingRange(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Where content is staged before upload; a process-private folder is made inside it.</summary>
    public string StagingDirectory { get; set; } = Path.GetTempPath();

    public static Uri R2Endpoint(string accountId) => new($"https://{accountId}.r2.cloudflarestorage.com");
}
