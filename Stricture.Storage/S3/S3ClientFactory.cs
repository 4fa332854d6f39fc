using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Stricture.Storage.S3;

/// <summary>Builds an <see cref="AmazonS3Client"/> that works against AWS S3, R2, MinIO and Ceph alike.</summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StoreSettings settings, HttpClientFactory? httpClientFactory = null)
    {
        var config = new AmazonS3Config
        {
            // The SDK's default flexible checksums (CRC32 trailers, aws-chunked bodies) break Ceph,
            // MinIO and R2 ("XAmzContentSHA256Mismatch"); compute checksums only where S3 requires them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = settings.MaxRetries,
            Timeout = settings.RequestTimeout,
        };
        if (httpClientFactory is not null)
        {
            config.HttpClientFactory = httpClientFactory;
        }

        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = settings.ForcePathStyle ?? true;
            config.AuthenticationRegion = settings.Region ?? (settings.Flavor == S3Flavor.R2 ? "auto" : "us-east-1");
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.AwsRegion);
            config.ForcePathStyle = settings.ForcePathStyle ?? false;
        }

        return settings.AccessKey is { } accessKey && settings.SecretKey is { } secretKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config)
            : new AmazonS3Client(config);
    }
}
