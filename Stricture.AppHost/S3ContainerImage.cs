namespace Stricture.AppHost;

/// <summary>
/// An S3 server image the graph can run as its object store: where it comes from, how its root
/// credentials and data folder are set, and how it says it is healthy. Each image's registry, image
/// and tag can be overridden from the AppHost's configuration section named <see cref="Section"/>.
/// </summary>
public sealed record S3ContainerImage(
    string Name,
    string Section,
    string Registry,
    string Image,
    string Tag,
    string AccessKeyVariable,
    string SecretKeyVariable,
    string HealthPath,
    string DataPath,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The port both images serve S3 on inside the container.</summary>
    public const int S3Port = 9000;

    /// <summary>The port both images serve their web console on inside the container.</summary>
    public const int ConsolePort = 9001;

    /// <summary>
    /// MinIO, as the design names it. Its open-source project was archived in February 2026 and
    /// Docker Hub's minio/minio images were deleted in September 2026; quay.io still serves the
    /// same tags, frozen and unpatched, so the default is the last release there.
    /// </summary>
    public static readonly S3ContainerImage MinIO = new(
        Name: "minio",
        Section: "MinIO",
        Registry: "quay.io",
        Image: "minio/minio",
        Tag: "RELEASE.2025-09-07T16-13-09Z",
        AccessKeyVariable: "MINIO_ROOT_USER",
        SecretKeyVariable: "MINIO_ROOT_PASSWORD",
        HealthPath: "/minio/health/live",
        DataPath: "/data",
        Args: ["server", "/data", "--console-address", $":{ConsolePort}"],
        Environment: new Dictionary<string, string>());

    /// <summary>
    /// RustFS: Apache-2.0, maintained and patched, the successor the Aspire community toolkit moved
    /// to when MinIO's images disappeared (docs/deployment.md says why we recommend it).
    /// </summary>
    public static readonly S3ContainerImage RustFS = new(
        Name: "rustfs",
        Section: "RustFS",
        Registry: "docker.io",
        Image: "rustfs/rustfs",
        Tag: "1.0.0",
        AccessKeyVariable: "RUSTFS_ACCESS_KEY",
        SecretKeyVariable: "RUSTFS_SECRET_KEY",
        HealthPath: "/health",
        DataPath: "/data",
        Args: [],
        Environment: new Dictionary<string, string>
        {
            ["RUSTFS_VOLUMES"] = "/data",
            ["RUSTFS_ADDRESS"] = $"0.0.0.0:{S3Port}",
            ["RUSTFS_CONSOLE_ADDRESS"] = $"0.0.0.0:{ConsolePort}",
            ["RUSTFS_CONSOLE_ENABLE"] = "true",
        });

    /// <summary>Every image the <c>Stricture:ObjectStore</c> setting can name.</summary>
    public static readonly IReadOnlyList<S3ContainerImage> All = [MinIO, RustFS];
}
