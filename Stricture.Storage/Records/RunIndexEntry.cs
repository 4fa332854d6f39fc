using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stricture.Storage.Records;

/// <summary>
/// <c>runs/run=&lt;run_id&gt;.json</c>: the claim on a run id, created (if absent) before the payload.
/// It fixes where the payload lives and with which received_at, so a retry on a later date, or a
/// racing duplicate, writes the same bytes to the same key instead of a second record. It holds
/// nothing that depends on the payload's bytes, so it can be written while the payload is staged;
/// every field can be rebuilt from the payload it points to.
/// </summary>
public sealed record RunIndexEntry(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("received_at")] string ReceivedAt,
    [property: JsonPropertyName("content_sha256")] string ContentSha256)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StorageJsonContext.Default.RunIndexEntry);

    public static RunIndexEntry Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.RunIndexEntry)
        ?? throw new JsonException("A run index entry is null.");
}

[JsonSerializable(typeof(RunIndexEntry))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
