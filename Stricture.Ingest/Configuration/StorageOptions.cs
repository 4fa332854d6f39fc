namespace Stricture.Ingest.Configuration;

public sealed class StorageOptions
{
    public const string FileSystemDriver = "fs";

    public string Driver { get; set; } = FileSystemDriver;

    public string DataDirectory { get; set; } = ".stricture-server-data";

    public string ObjectPrefix { get; set; } = "stricture";
}
