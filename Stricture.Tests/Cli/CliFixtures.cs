using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stricture.Tests.Cli;

/// <summary>A realistic lineage export, lineage diff and summary (Cli/Fixtures), as a lineage tool writes them: indented, with escapes and non-ASCII text.</summary>
public static class CliFixtures
{
    public static string Artifact => Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", "lineage-export.json");

    public static string Diff => Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", "lineage-diff.json");

    public static string Summary => Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", "summary.md");

    /// <summary>
    /// A file's JSON as the server stores it (docs/storage.md): insignificant whitespace dropped,
    /// escapes normalised, non-ASCII as UTF-8, member order and number spellings as written.
    /// </summary>
    public static string Compacted(string path) =>
        JsonNode.Parse(File.ReadAllBytes(path))!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A file in a fresh directory, for a test that needs its own content.</summary>
    public static string Write(Infrastructure.TestDirectory directory, string name, string content)
    {
        var path = Path.Combine(directory.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
