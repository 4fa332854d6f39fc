using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.S3;

/// <summary>
/// The S3 driver (AWS S3, Cloudflare R2, MinIO, Ceph RADOS Gateway). Content is staged in a local
/// temp file while it is hashed, then uploaded from that file, so a 10 MB payload is never held in
/// memory. Create-if-absent is a PUT with <c>If-None-Match: *</c>; compare-and-swap is a PUT with
/// <c>If-Match</c>. The SHA-256 of every object is stored as <c>x-amz-meta-sha256</c> and checked on
/// every read. SDK exceptions never escape: expected answers become outcomes, and a store that
/// cannot be reached (after the SDK's bounded retries) is <see cref="ObjectStoreUnavailableException"/>.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    public const string Sha256MetadataKey = "sha256";

    private const string StagingPrefix = "stricture-staging-";

    private readonly IAmazonS3 _client;
    private readonly S3StoreSettings _settings;
    private readonly ILogger<S3ObjectStore> _logger;
    private readonly StagingArea _staging;
    private readonly ResiliencePipeline _conflictRetry;

    public S3ObjectStore(IAmazonS3 client, S3StoreSettings settings, ILogger<S3ObjectStore> logger)
    {
        _client = client;
        _settings = settings;
        _logger = logger;
        RemoveStagingOfDeadProcesses(settings.StagingDirectory);
        _staging = new StagingArea(
            Path.Combine(settings.StagingDirectory, $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"), smallContentInFiles: false);
        // AWS answers 409 ConditionalRequestConflict when two conditional writes of one key race:
        // the loser must retry to learn the outcome (usually 412 once the winner has landed).
        _conflictRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AmazonS3Exception>(IsConditionalConflict),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            })
            .Build();
    }

    public string Bucket => _settings.Bucket;

    /// <summary>Checks at start-up that the bucket exists and the credentials may use it.</summary>
    public async Task VerifyBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (IsMissingBucket(exception) || exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"The bucket '{Bucket}' does not exist at {Describe()}. Create it, or set STRICTURE_SERVER_OBJECT_BUCKET to an existing bucket.", exception);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException(
                $"The credentials were refused for bucket '{Bucket}' at {Describe()} ({exception.ErrorCode}). Check the access key and " +
                "secret (or the IAM role) and that the policy allows s3:ListBucket, s3:GetObject and s3:PutObject.", exception);
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            throw new InvalidOperationException($"The object store at {Describe()} cannot be reached: {exception.Message}", exception);
        }
    }

    // No fsync: the temp file is only a buffer; durability comes from the PUT.
    public Task<StagedObject> StageAsync(Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken) =>
        _staging.StageAsync(writeContent, sealFile: null, cancellationToken);


    /// <summary>
    /// The PUTs are payload-signed (SigV4 <c>x-amz-content-sha256</c>), and S3, MinIO and Ceph refuse a
    /// body whose SHA-256 differs from the signed one, so a created object holds exactly what was
    /// staged. R2 takes no signed payloads (<see cref="PutRequest"/>), so there it is not promised.
    /// </summary>
    public bool ChecksCommittedContent => _settings.Flavor != S3Flavor.R2;

    public async Task<CreateOutcome> CommitIfAbsentAsync(StagedObject staged, string key, CancellationToken cancellationToken)
    {
        var request = PutRequest(staged, key);
        request.IfNoneMatch = "*";
        try
        {
            staged.CommittedETag = await PutAsync(request, cancellationToken);
            return CreateOutcome.Created;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return CreateOutcome.AlreadyExists;
        }
    }

    public async Task<ReplaceOutcome> CommitIfMatchAsync(StagedObject staged, string key, string expectedETag, CancellationToken cancellationToken)
    {
        var request = PutRequest(staged, key);
        // Ceph accepts only the bare ETag; AWS and R2 accept it too.
        request.IfMatch = expectedETag.Trim('"');
        try
        {
            staged.CommittedETag = await PutAsync(request, cancellationToken);
            return ReplaceOutcome.Replaced;
        }
        catch (AmazonS3Exception exception) when (IsMissingKey(exception))
        {
            return ReplaceOutcome.NotFound;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // Ceph answers 412, not 404, when the key is missing: tell the two apart.
            return await GetInfoAsync(key, cancellationToken) is not null ? ReplaceOutcome.PreconditionFailed : ReplaceOutcome.NotFound;
        }
    }

    public async Task<StoredObject?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKeyRules.ThrowIfInvalid(key);
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
            var content = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
            var actual = Convert.ToHexStringLower(SHA256.HashData(content));
            if (response.Metadata[Sha256MetadataKey] is { Length: > 0 } recorded && recorded != actual)
            {
                throw new ObjectIntegrityException(key, recorded, actual);
            }
            return new StoredObject(key, content, response.ETag.Trim('"'), actual);
        }
        catch (AmazonS3Exception exception) when (IsMissingKey(exception))
        {
            return null;
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            throw Unavailable("read", key, exception);
        }
    }

    public async Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKeyRules.ThrowIfInvalid(key);
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new ObjectInfo(key, head.ContentLength, head.Metadata[Sha256MetadataKey] is { Length: > 0 } sha256 ? sha256 : null);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            throw Unavailable("read", key, exception);
        }
    }

    public async Task<ObjectListing> ListAsync(string prefix, string? continuationToken, int maxKeys, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        try
        {
            var response = await _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Bucket,
                Prefix = prefix,
                ContinuationToken = continuationToken,
                MaxKeys = maxKeys,
            }, cancellationToken);
            var keys = (response.S3Objects ?? []).Select(o => o.Key).ToList();
            return new ObjectListing(keys, response.IsTruncated == true ? response.NextContinuationToken : null);
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            throw Unavailable("list", prefix, exception);
        }
    }

    public async Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = ".stricture-health/probe",
                ContentBody = "probe",
                DisablePayloadSigning = _settings.Flavor == S3Flavor.R2 ? true : null,
                UseChunkEncoding = false,
            }, cancellationToken);
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken) || exception is AmazonS3Exception)
        {
            throw Unavailable("probe", Bucket, exception);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_staging.Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder lives under the temp directory.
        }
    }

    /// <summary>
    /// Staging folders are private to a process and removed when it stops; one killed before it
    /// could leaves its folder behind. Remove those whose process no longer exists (Linux /proc).
    /// </summary>
    private static void RemoveStagingOfDeadProcesses(string stagingRoot)
    {
        if (!Directory.Exists("/proc/self") || !Directory.Exists(stagingRoot))
        {
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(stagingRoot, StagingPrefix + "*"))
        {
            var pid = Path.GetFileName(folder)[StagingPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out _) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another process may be cleaning up the same folder.
                }
            }
        }
    }

    private PutObjectRequest PutRequest(StagedObject staged, string key)
    {
        ObjectKeyRules.ThrowIfInvalid(key);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            ContentType = "application/json",
            // One plain signed body, never aws-chunked: R2 rejects streaming signatures and
            // S3-compatible stores differ on them. R2 also needs the payload left unsigned.
            UseChunkEncoding = false,
            DisablePayloadSigning = _settings.Flavor == S3Flavor.R2 ? true : null,
        };
        if (staged.Content is { } content)
        {
            // Small content is sent from memory. The stream is rewound for every attempt (the SDK's
            // own retries and the conflict retry above them) and left open between them.
            var bytes = MemoryMarshal.TryGetArray(content, out var array) ? array : new ArraySegment<byte>(content.ToArray());
            request.InputStream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
            request.AutoResetStreamPosition = true;
            request.AutoCloseStream = false;
        }
        else
        {
            request.FilePath = staged.Path;
        }
        request.Metadata[Sha256MetadataKey] = staged.Sha256;
        return request;
    }

    /// <summary>PUTs the object; returns its ETag (bare, as compare-and-swap sends it), or null when the store gave none.</summary>
    private async Task<string?> PutAsync(PutObjectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _conflictRetry.ExecuteAsync(async ct => await _client.PutObjectAsync(request, ct), cancellationToken);
            return string.IsNullOrEmpty(response.ETag) ? null : response.ETag.Trim('"');
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            throw Unavailable("write", request.Key, exception);
        }
    }

    private static bool IsConditionalConflict(AmazonS3Exception exception) =>
        exception.StatusCode == HttpStatusCode.Conflict && exception.ErrorCode == "ConditionalRequestConflict";

    /// <summary>
    /// A 404 for the bucket rather than the key. A server checks the bucket when it starts; a function
    /// (which does not) meets a missing bucket here, and it must not read as "no such record".
    /// </summary>
    private static bool IsMissingBucket(AmazonS3Exception exception) => exception.ErrorCode == "NoSuchBucket";

    /// <summary>A 404 for the key, not for the bucket.</summary>
    private static bool IsMissingKey(AmazonS3Exception exception) => exception.StatusCode == HttpStatusCode.NotFound && !IsMissingBucket(exception);

    /// <summary>
    /// Failures that mean "the store cannot be used now", after the SDK's own retries: unreachable,
    /// failing, or refusing (credentials, a missing bucket), which only an operator can fix.
    /// </summary>
    private static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                                || IsConditionalConflict(s3) || IsMissingBucket(s3),
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // a timeout, not the caller giving up
        TimeoutException or HttpRequestException or IOException or AmazonClientException => true,
        _ => false,
    };

    private ObjectStoreUnavailableException Unavailable(string operation, string key, Exception exception)
    {
        LogUnavailable(_logger, exception, operation, Bucket, key);
        return new ObjectStoreUnavailableException(exception is AmazonS3Exception s3 && IsMissingBucket(s3)
            ? $"The bucket '{Bucket}' does not exist at {Describe()}; the {operation} of '{key}' failed."
            : $"The object store did not complete a {operation} of '{key}' in bucket '{Bucket}'.", exception);
    }

    private string Describe() => _settings.Endpoint?.ToString() ?? $"AWS S3 ({_settings.AwsRegion})";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Object store unavailable: {Operation} in bucket {Bucket} at {Key}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation, string bucket, string key);
}
