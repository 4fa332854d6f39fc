namespace Stricture.Tests.Infrastructure;

/// <summary>The repository the tests run from: its scripts (eng/) and deployment files (deploy/).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>A path under the repository root, e.g. <c>Path("eng", "s3-test-server.sh")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Stricture.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Stricture.sln was not found above " + AppContext.BaseDirectory);
    }
}
