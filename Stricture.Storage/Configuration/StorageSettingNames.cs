namespace Stricture.Storage.Configuration;

/// <summary>
/// The storage settings both services read (ingest and, in mirror mode, the replicator). They are
/// the spec's environment variable names, used verbatim as configuration keys, so the same name
/// works as an environment variable, a command-line switch or a key in appsettings.json.
/// </summary>
public static class StorageSettingNames
{
    public const string DataDirectory = "STRICTURE_SERVER_DATA_DIR";
    public const string StorageDriver = "STRICTURE_SERVER_STORAGE_DRIVER";
    public const string ObjectPrefix = "STRICTURE_SERVER_OBJECT_PREFIX";
    public const string ObjectBucket = "STRICTURE_SERVER_OBJECT_BUCKET";
    public const string ObjectEndpoint = "STRICTURE_SERVER_OBJECT_ENDPOINT";
    public const string ObjectRegion = "STRICTURE_SERVER_OBJECT_REGION";
    public const string ObjectPathStyle = "STRICTURE_SERVER_OBJECT_PATH_STYLE";
    public const string ObjectTimeoutSeconds = "STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS";
    public const string ObjectMaxRetries = "STRICTURE_SERVER_OBJECT_MAX_RETRIES";
    public const string R2AccountId = "STRICTURE_SERVER_R2_ACCOUNT_ID";
    public const string ReconcileOnStart = "STRICTURE_SERVER_RECONCILE_ON_START";

    /// <summary>The Aspire AppHost's MinIO reference (environment variable ConnectionStrings__minio).</summary>
    public const string MinioConnectionString = "ConnectionStrings:minio";
}
