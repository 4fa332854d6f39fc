using Microsoft.Extensions.Configuration;

namespace Stricture.AppHost;

/// <summary>
/// The AppHost's own settings, from appsettings.json, user secrets, the environment
/// (<c>Stricture__IngestPort=...</c>) or arguments (<c>dotnet run -- Stricture:IngestPort=...</c>).
/// </summary>
public sealed record GraphSettings(string Bucket, string DataDirectory, int IngestPort, ObjectStoreChoice Store)
{
    /// <summary>The address the README's examples and local CI scripts use.</summary>
    public const int DefaultIngestPort = 8085;

    /// <summary>The name of the store resource and of the connection string both services read (<c>ConnectionStrings__minio</c>).</summary>
    public const string StoreName = "minio";

    /// <summary>Reads and checks the settings; a bad one is a <see cref="GraphSettingException"/> naming it.</summary>
    public static GraphSettings From(IConfiguration configuration, string appHostDirectory)
    {
        var stricture = configuration.GetSection("Stricture");
        var bucket = Value(stricture, "Bucket") ?? "stricture";
        var dataDirectory = Path.GetFullPath(Value(stricture, "DataDirectory") ?? Path.Combine(appHostDirectory, ".stricture-server-data"));

        var port = DefaultIngestPort;
        if (Value(stricture, "IngestPort") is { } portText && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new GraphSettingException($"Stricture:IngestPort must be a TCP port (1-65535); got '{portText}'.");
        }

        return new GraphSettings(bucket, dataDirectory, port, ObjectStoreChoice.From(configuration));
    }

    private static string? Value(IConfiguration section, string key) => section[key] is { Length: > 0 } value ? value : null;
}

/// <summary>A setting the graph cannot start with; its message names the setting and what it accepts.</summary>
public sealed class GraphSettingException(string message) : Exception(message);
