using System.Text.Json;

namespace Stricture.Cli.Push;

/// <summary>
/// Finds a property name repeated within one JSON object, which the server refuses
/// (duplicate-property) and System.Text.Json's reader lets through.
/// </summary>
public static class DuplicateProperties
{
    /// <param name="Name">The property name that appears twice.</param>
    /// <param name="Offset">Where the repeated name starts, in bytes from the start of the input.</param>
    public readonly record struct Duplicate(string Name, long Offset);

    /// <summary>Walks from the reader's StartObject to its end; returns the first repeated name, or null.</summary>
    public static Duplicate? Find(ref Utf8JsonReader reader)
    {
        var startDepth = reader.CurrentDepth;
        var namesByLevel = new List<HashSet<string>> { new(StringComparer.Ordinal) };
        Duplicate? found = null;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == startDepth))
        {
            var level = reader.CurrentDepth - startDepth;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                NamesAt(namesByLevel, level).Clear();
            }
            else if (reader.TokenType == JsonTokenType.PropertyName && found is null)
            {
                var name = reader.GetString()!;
                if (!NamesAt(namesByLevel, level - 1).Add(name))
                {
                    found = new Duplicate(name, reader.TokenStartIndex);
                }
            }
        }
        return found;
    }

    private static HashSet<string> NamesAt(List<HashSet<string>> namesByLevel, int level)
    {
        while (namesByLevel.Count <= level)
        {
            namesByLevel.Add(new HashSet<string>(StringComparer.Ordinal));
        }
        return namesByLevel[level];
    }
}
