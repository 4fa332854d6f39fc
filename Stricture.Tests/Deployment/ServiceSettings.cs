extern alias replicator;

using System.Reflection;
using System.Text.RegularExpressions;
using replicator::Stricture.Replicator;
using Stricture.Ingest.Configuration;
using Stricture.Storage.Configuration;

namespace Stricture.Tests.Deployment;

/// <summary>
/// The environment variables each service reads: the public constants of its setting-name classes
/// (so a setting added there is known here at once), in their environment-variable form
/// (<c>ConnectionStrings:minio</c> is <c>ConnectionStrings__minio</c>), plus the documented
/// families the services read by prefix (docs/configuration.md).
/// </summary>
public static partial class ServiceSettings
{
    private static readonly string[] SharedPrefixes = ["OTEL_", "ASPNETCORE_", "DOTNET_", "ConnectionStrings__", "Logging__", "AWS_"];

    private static readonly Dictionary<string, (HashSet<string> Names, string[] Prefixes)> Services = new()
    {
        ["ingest"] = (Names(typeof(SettingNames), typeof(StorageSettingNames)), [.. SharedPrefixes, "STRICTURE_SERVER_JWT_ISSUERS__"]),
        ["replicator"] = (Names(typeof(StorageSettingNames), typeof(ReplicatorSettingNames)), SharedPrefixes),
    };

    public static IEnumerable<string> KnownServices => Services.Keys;

    /// <summary>Whether <paramref name="service"/> (ingest or replicator) reads the environment variable <paramref name="name"/>.</summary>
    public static bool IsReadBy(string service, string name) =>
        Services.TryGetValue(service, out var settings) &&
        (settings.Names.Contains(name) || settings.Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length));

    public static IReadOnlySet<string> NamesReadBy(string service) => Services[service].Names;

    private static HashSet<string> Names(params Type[] types) =>
        types.SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .Where(value => SettingName().IsMatch(value)) // not the other constants, such as a default URL
            .Select(value => value.Replace(":", "__", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_:]*$")]
    private static partial Regex SettingName();
}
