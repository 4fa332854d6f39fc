namespace Stricture.Storage.ObjectStore;

/// <summary>Stored bytes do not match the SHA-256 recorded for them: never served or acknowledged as good.</summary>
public sealed class ObjectIntegrityException(string key, string expectedSha256, string actualSha256)
    : Exception($"The object at '{key}' has SHA-256 {actualSha256}, but {expectedSha256} was recorded for it.")
{
    public string Key { get; } = key;

    public string ExpectedSha256 { get; } = expectedSha256;

    public string ActualSha256 { get; } = actualSha256;
}
