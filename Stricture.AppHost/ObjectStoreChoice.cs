using Microsoft.Extensions.Configuration;

namespace Stricture.AppHost;

/// <summary>
/// Which S3 store the graph uses. <c>ConnectionStrings:minio</c>, when set, names an existing store
/// (AWS S3, R2, a shared MinIO, the test server) and no container starts. Otherwise
/// <c>Stricture:ObjectStore</c> picks the container: <c>minio</c> (the default) or <c>rustfs</c>,
/// whose registry, image and tag come from the <c>MinIO:</c> or <c>RustFS:</c> section, and whose
/// data lives in a named volume unless that section's <c>DataVolume</c> is <c>false</c>.
/// </summary>
public sealed record ObjectStoreChoice(string? ConnectionString, S3ContainerImage? Container, bool DataVolume)
{
    public bool UsesExistingStore => ConnectionString is not null;

    public static ObjectStoreChoice From(IConfiguration configuration)
    {
        if (configuration.GetConnectionString(GraphSettings.StoreName) is { Length: > 0 } connectionString)
        {
            return new ObjectStoreChoice(connectionString, null, DataVolume: false);
        }

        var named = configuration["Stricture:ObjectStore"] is { Length: > 0 } value ? value : S3ContainerImage.MinIO.Name;
        var image = S3ContainerImage.All.FirstOrDefault(candidate => string.Equals(candidate.Name, named, StringComparison.OrdinalIgnoreCase))
            ?? throw new GraphSettingException(
                $"Stricture:ObjectStore must be one of {string.Join(", ", S3ContainerImage.All.Select(i => i.Name))}; got '{named}' " +
                $"(or set ConnectionStrings:{GraphSettings.StoreName} to use an existing store).");

        var section = configuration.GetSection(image.Section);
        var configured = image with
        {
            Registry = Value(section, "Registry") ?? image.Registry,
            Image = Value(section, "Image") ?? image.Image,
            Tag = Value(section, "Tag") ?? image.Tag,
        };
        var dataVolume = !string.Equals(section["DataVolume"], "false", StringComparison.OrdinalIgnoreCase);
        return new ObjectStoreChoice(null, configured, dataVolume);
    }

    private static string? Value(IConfiguration section, string key) => section[key] is { Length: > 0 } value ? value : null;
}
