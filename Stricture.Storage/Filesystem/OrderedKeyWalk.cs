using System.IO.Enumeration;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// Enumerates the keys (files) under a directory in ordinal key order, lazily, skipping whole
/// subtrees that lie before a start-after key or outside a prefix. A page of a listing then costs
/// about the page, not the tree: the filesystem driver's continuation token is simply the last
/// key returned.
///
/// Ordinal key order is not the order of a plain depth-first walk: "a-b" sorts before "a/x" because
/// '-' &lt; '/'. Sorting each directory's entries by name with a '/' appended to directory names gives
/// exactly the order of the full keys.
/// </summary>
internal static class OrderedKeyWalk
{
    // Every entry, dot-files included (the caller excludes what is not a key).
    private static readonly EnumerationOptions AllEntries = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    // Name and kind from the directory entry itself: no stat per entry, as a FileSystemInfo would make.
    private static readonly FileSystemEnumerable<(string, bool)>.FindTransform NameAndKind =
        static (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.IsDirectory);

    /// <summary>
    /// Keys under <paramref name="directory"/>, whose own key prefix is <paramref name="directoryKey"/>
    /// ("" for the root, else ending in '/'), that start with <paramref name="prefix"/>, sort after
    /// <paramref name="startAfter"/> and are not excluded.
    /// </summary>
    public static IEnumerable<string> Keys(string directory, string directoryKey, string prefix, string? startAfter, Func<string, bool> exclude)
    {
        List<(string Name, bool IsDirectory)> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<(string, bool)>(directory, NameAndKind, AllEntries)];
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        var named = entries
            .Select(entry => (entry.IsDirectory, Key: directoryKey + entry.Name + (entry.IsDirectory ? "/" : "")))
            .Where(item => !exclude(item.Key))
            .OrderBy(item => item.Key, StringComparer.Ordinal);
        foreach (var (isDirectory, key) in named)
        {
            if (isDirectory)
            {
                var overlapsPrefix = key.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(key, StringComparison.Ordinal);
                // Every key below sorts before startAfter when this directory's key does and is not a prefix of it.
                var entirelyBeforeStart = startAfter is not null && string.CompareOrdinal(key, startAfter) < 0 &&
                                          !startAfter.StartsWith(key, StringComparison.Ordinal);
                if (overlapsPrefix && !entirelyBeforeStart)
                {
                    foreach (var inner in Keys(Path.Combine(directory, key[directoryKey.Length..^1]), key, prefix, startAfter, exclude))
                    {
                        yield return inner;
                    }
                }
            }
            else if (key.StartsWith(prefix, StringComparison.Ordinal) && (startAfter is null || string.CompareOrdinal(key, startAfter) > 0))
            {
                yield return key;
            }
        }
    }
}
