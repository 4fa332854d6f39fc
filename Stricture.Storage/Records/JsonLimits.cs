namespace Stricture.Storage.Records;

public static class JsonLimits
{
    /// <summary>Deepest nesting accepted in a post (the whole document, envelope fields included).</summary>
    public const int MaxDepth = 64;
}
