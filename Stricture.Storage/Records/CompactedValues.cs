using System.Buffers;
using System.Text.Json;

namespace Stricture.Storage.Records;

/// <summary>
/// A submission's JSON values (metadata, artifact, diff, summary) compacted once, in memory, so the
/// fingerprint and the record both copy these bytes instead of compacting the request twice. Only
/// for a small submission (<see cref="Limit"/>): a large one is compacted as each is written, so a
/// 10 MB artifact is never held twice. The bytes are exactly what <see cref="JsonCompactor"/> writes
/// into the envelope, so the record is the same either way.
/// </summary>
internal sealed class CompactedValues
{
    /// <summary>The values' total size as posted, up to which they are compacted once and kept.</summary>
    public const long Limit = 256 * 1024;

    private CompactedValues(ReadOnlyMemory<byte>? metadata, ReadOnlyMemory<byte> artifact, ReadOnlyMemory<byte>? diff, ReadOnlyMemory<byte>? summary)
    {
        Metadata = metadata;
        Artifact = artifact;
        Diff = diff;
        Summary = summary;
    }

    public ReadOnlyMemory<byte>? Metadata { get; }

    public ReadOnlyMemory<byte> Artifact { get; }

    public ReadOnlyMemory<byte>? Diff { get; }

    public ReadOnlyMemory<byte>? Summary { get; }

    /// <summary>The submission's values compacted (made once, then kept on it), or null when they are too large to keep.</summary>
    public static CompactedValues? Of(RunSubmission submission, JsonWriterOptions options)
    {
        if (submission.Compacted is { } kept)
        {
            return kept;
        }
        var length = submission.Artifact.Length + (submission.Metadata?.Length ?? 0) + (submission.Diff?.Length ?? 0) + (submission.Summary?.Length ?? 0);
        if (length > Limit)
        {
            return null;
        }
        return submission.Compacted = new CompactedValues(
            Compact(submission.Metadata, options), Compact(submission.Artifact, options)!.Value, Compact(submission.Diff, options), Compact(submission.Summary, options));
    }

    private static ReadOnlyMemory<byte>? Compact(ReadOnlySequence<byte>? value, JsonWriterOptions options)
    {
        if (value is not { } json)
        {
            return null;
        }
        // Compacting mostly drops bytes, so the posted length is room enough; the buffer grows where
        // escaping adds some (a code point the encoder writes as \uXXXX).
        var buffer = new ArrayBufferWriter<byte>(checked((int)json.Length));
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            JsonCompactor.Write(writer, json);
        }
        return buffer.WrittenMemory;
    }
}
