extern alias replicator;

using System.Reflection;
using Microsoft.Extensions.Configuration;
using replicator::Stricture.Replicator;
using Stricture.Ingest.Configuration;
using Stricture.Storage.Configuration;
using Stricture.Storage.S3;

namespace Stricture.Tests.Deployment;

/// <summary>
/// The environment variables each service reads: the configuration key names of its options classes
/// (so a setting added there is known here at once), in their environment-variable form
/// (<c>ConnectionStrings:minio</c> is <c>ConnectionStrings__minio</c>), plus the documented
/// families the services read by prefix (docs/configuration.md).
/// </summary>
public static class ServiceSettings
{
    private static readonly string[] SharedPrefixes = ["OTEL_", "ASPNETCORE_", "DOTNET_", "ConnectionStrings__", "Logging__", "AWS_"];

    private static readonly Dictionary<string, (HashSet<string> Names, string[] Prefixes)> Services = new()
    {
        ["ingest"] = (Names(typeof(ServerOptions), typeof(AuthOptions), typeof(AuditOptions), typeof(StorageOptions), typeof(S3StoreSettings)),
            [.. SharedPrefixes, AuthOptions.JwtIssuersSetting + "__"]),
        ["replicator"] = (Names(typeof(StorageOptions), typeof(S3StoreSettings), typeof(ReplicatorOptions)), SharedPrefixes),
    };

    public static IEnumerable<string> KnownServices => Services.Keys;

    /// <summary>Whether <paramref name="service"/> (ingest or replicator) reads the environment variable <paramref name="name"/>.</summary>
    public static bool IsReadBy(string service, string name) =>
        Services.TryGetValue(service, out var settings) &&
        (settings.Names.Contains(name) || settings.Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length));

    public static IReadOnlySet<string> NamesReadBy(string service) => Services[service].Names;

    private static HashSet<string> Names(params Type[] optionsTypes) =>
        optionsTypes.SelectMany(type => type.GetProperties())
            .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .Where(name => name != AuthOptions.JwtIssuersSetting) // a family, read by prefix
            .Where(name => name.StartsWith("STRICTURE_", StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)) // not ASP.NET Core's own "urls"
            .Select(value => value.Replace(":", "__", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
}
