namespace Stricture.Storage.S3;

public enum S3Flavor
{
    /// <summary>AWS S3, or an S3-compatible server (MinIO, Ceph RADOS Gateway) when an endpoint is set.</summary>
    S3,
    /// <summary>Cloudflare R2: region "auto", no streaming (aws-chunked) payload signing.</summary>
    R2,
}

/// <summary>Everything the S3 driver needs to reach one bucket. Built from STRICTURE_SERVER_* settings.</summary>
public sealed record S3StoreSettings
{
    public required string Bucket { get; init; }

    public S3Flavor Flavor { get; init; } = S3Flavor.S3;

    /// <summary>An S3-compatible endpoint (https://minio.example:9000); null means AWS S3.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Signing region; when unset: AWS_REGION (else "us-east-1") on AWS S3, "us-east-1" for custom endpoints, "auto" for R2.</summary>
    public string? Region { get; init; }

    /// <summary>
    /// The region on AWS S3 itself (no endpoint): <see cref="Region"/>, else AWS_REGION, which is where
    /// Lambda (and ECS, CodeBuild) runs the process and the bucket usually is, else us-east-1.
    /// </summary>
    public string AwsRegion => Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";

    /// <summary>Path-style addressing (bucket in the path, not the host name); on by default with an endpoint.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Static credentials; when null the AWS SDK's default chain is used (environment, profile, IAM role, web identity).</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt for timeouts, 5xx and throttling (SDK standard retry mode: exponential backoff with jitter).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Where content is staged before upload; a process-private folder is made inside it.</summary>
    public string StagingDirectory { get; init; } = Path.GetTempPath();

    public static Uri R2Endpoint(string accountId) => new($"https://{accountId}.r2.cloudflarestorage.com");
}
