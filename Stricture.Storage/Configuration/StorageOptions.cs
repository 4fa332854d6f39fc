namespace Stricture.Storage.Configuration;

/// <summary>Where records live: bound from the STRICTURE_SERVER_* storage settings (<see cref="StorageSettingNames"/>).</summary>
public sealed class StorageOptions
{
    public const string FileSystemDriver = "fs";
    public const string S3Driver = "s3";
    public const string R2Driver = "r2";

    /// <summary>Records on the local filesystem, copied to the object store by Stricture.Replicator.</summary>
    public const string MirrorDriver = "mirror";

    public static readonly string[] Drivers = [FileSystemDriver, S3Driver, R2Driver, MirrorDriver];

    public string Driver { get; set; } = FileSystemDriver;

    public string DataDirectory { get; set; } = ".stricture-server-data";

    public string ObjectPrefix { get; set; } = "stricture";

    public string? ObjectBucket { get; set; }

    /// <summary>An S3-compatible endpoint (MinIO, Ceph); null means AWS S3 (or, for r2, the account's endpoint).</summary>
    public Uri? ObjectEndpoint { get; set; }

    public string? ObjectRegion { get; set; }

    /// <summary>Path-style addressing; defaults to on when an endpoint is set.</summary>
    public bool? ObjectPathStyle { get; set; }

    public string? R2AccountId { get; set; }

    /// <summary>Static credentials from the Aspire connection string; otherwise the AWS SDK's default chain.</summary>
    public string? ObjectAccessKey { get; set; }

    public string? ObjectSecretKey { get; set; }

    public TimeSpan ObjectRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int ObjectMaxRetries { get; set; } = 3;

    /// <summary>Whether the server reconciles the catalog (manifests, latest pointers) with the payloads when it starts.</summary>
    public bool ReconcileOnStart { get; set; } = true;

    /// <summary>Records are written straight to the object store (s3, r2).</summary>
    public bool UsesObjectStore => Driver is S3Driver or R2Driver;

    /// <summary>The object-store settings are needed: to write records, or to mirror them.</summary>
    public bool NeedsObjectStore => UsesObjectStore || Driver == MirrorDriver;
}
