using Microsoft.Extensions.Configuration;

namespace Stricture.Storage.Configuration;

/// <summary>
/// Where records live, read by ingest and (in mirror mode) the replicator. The object store's own
/// settings are the S3 driver's <see cref="S3.S3StoreSettings"/>.
/// </summary>
public sealed class StorageOptions
{
    public const string DriverSetting = "STRICTURE_SERVER_STORAGE_DRIVER";
    public const string DataDirectorySetting = "STRICTURE_SERVER_DATA_DIR";
    public const string ObjectPrefixSetting = "STRICTURE_SERVER_OBJECT_PREFIX";
    public const string ReconcileOnStartSetting = "STRICTURE_SERVER_RECONCILE_ON_START";

    public const string FileSystemDriver = "fs";
    public const string S3Driver = "s3";
    public const string R2Driver = "r2";

    /// <summary>Records on the local filesystem, copied to the object store by Stricture.Replicator.</summary>
    public const string MirrorDriver = "mirror";

    public static readonly string[] Drivers = [FileSystemDriver, S3Driver, R2Driver, MirrorDriver];

    [ConfigurationKeyName(DriverSetting)]
    public string Driver { get; set => field = value.ToLowerInvariant(); } = FileSystemDriver;

    [ConfigurationKeyName(DataDirectorySetting)]
    public string DataDirectory { get; set; } = ".stricture-server-data";

    [ConfigurationKeyName(ObjectPrefixSetting)]
    public string ObjectPrefix { get; set; } = "stricture";

    /// <summary>Whether the server reconciles the catalog (manifests, latest pointers) with the payloads when it starts.</summary>
    [ConfigurationKeyName(ReconcileOnStartSetting)]
    public bool ReconcileOnStart { get; set; } = true;

    /// <summary>Records are written straight to the object store (s3, r2).</summary>
    public bool UsesObjectStore => Driver is S3Driver or R2Driver;

    /// <summary>The object-store settings are needed: to write records, or to mirror them.</summary>
    public bool NeedsObjectStore => UsesObjectStore || Driver == MirrorDriver;
}
