namespace Stricture.Ingest.Configuration;

/// <summary>
/// The configuration keys the services read. They are the spec's environment variable names,
/// used verbatim as configuration keys, so the same name works as an environment variable, a
/// command-line switch (--STRICTURE_SERVER_ADDR=...) or a key in appsettings.json.
/// </summary>
public static class SettingNames
{
    public const string Address = "STRICTURE_SERVER_ADDR";
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
    public const string AuthMode = "STRICTURE_SERVER_AUTH_MODE";
    public const string IngestToken = "STRICTURE_SERVER_INGEST_TOKEN";
    public const string IngestTokenSecondary = "STRICTURE_SERVER_INGEST_TOKEN_SECONDARY";
    public const string AllowInsecureNoAuth = "STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH";
    public const string MaxBodyBytes = "STRICTURE_SERVER_MAX_BODY_BYTES";
    public const string AuditFile = "STRICTURE_SERVER_AUDIT_FILE";
}
