using System.IO.Compression;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The function as it is deployed: the zip eng/package-function.sh makes (docs/function.md), unpacked
/// as Lambda unpacks it into /var/task. Made once per test run, since a ReadyToRun composite publish
/// takes minutes; STRICTURE_TEST_FUNCTION_PACKAGE names a zip made beforehand instead.
/// </summary>
public sealed class FunctionPackage
{
    public const string PackageVariable = "STRICTURE_TEST_FUNCTION_PACKAGE";

    private static readonly Lazy<Task<FunctionPackage>> Shared = new(CreateAsync);

    private FunctionPackage(string taskDirectory) => TaskDirectory = taskDirectory;

    /// <summary>Where the zip was unpacked: Lambda's /var/task.</summary>
    public string TaskDirectory { get; }

    /// <summary>The executable Lambda runs for a custom runtime.</summary>
    public string Bootstrap => Path.Combine(TaskDirectory, "bootstrap");

    public static Task<FunctionPackage> GetAsync() => Shared.Value;

    private static async Task<FunctionPackage> CreateAsync()
    {
        var zipPath = Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } given ? given : await PackageAsync();
        var taskDirectory = FreshDirectory("function-task");
        // Extraction restores each entry's Unix permissions from the zip, as Lambda does: a bootstrap
        // zipped without its execute bit would fail here as it fails there.
        await ZipFile.ExtractToDirectoryAsync(zipPath, taskDirectory);
        return new FunctionPackage(taskDirectory);
    }

    /// <summary>
    /// A directory beside the test assembly, emptied first: a package is about 200 MB with its zip, and
    /// the test host is killed rather than shut down at the end of a run, so there is no reliable
    /// moment to delete it. One copy stays until the next run or a clean.
    /// </summary>
    private static string FreshDirectory(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        return Directory.CreateDirectory(path).FullName;
    }

    private static async Task<string> PackageAsync()
    {
        var output = FreshDirectory("function-package");
        var zipPath = await RepositoryScript.RunAsync("package-function.sh", ["--out", output], TimeSpan.FromMinutes(20));
        return zipPath.Trim();
    }
}
