using System.Buffers;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Records;

/// <summary>
/// A validated post, as the record store needs it. JSON values (artifact, diff, metadata, summary)
/// stay as slices of the request body, already checked to be well-formed, of the right JSON type
/// and free of duplicated properties; they are compacted while the envelope is written, so a
/// 10 MB artifact is never held twice (a small submission's are compacted once and kept, <see cref="CompactedValues"/>).
/// </summary>
public sealed class RunSubmission
{
    public required ServiceIdentity Service { get; init; }

    /// <summary>The caller's run id, or null to have one generated.</summary>
    public string? RunId { get; init; }

    public string? CommitSha { get; init; }

    /// <summary>generated_at exactly as sent (RFC 3339); <see cref="GeneratedAt"/> is its parsed value.</summary>
    public string? GeneratedAtText { get; init; }

    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>A JSON object.</summary>
    public required ReadOnlySequence<byte> Artifact { get; init; }

    /// <summary>A JSON object, or null when absent.</summary>
    public ReadOnlySequence<byte>? Diff { get; init; }

    /// <summary>A JSON object, or null when absent.</summary>
    public ReadOnlySequence<byte>? Metadata { get; init; }

    /// <summary>A JSON string token (quotes included), or null when absent.</summary>
    public ReadOnlySequence<byte>? Summary { get; init; }

    /// <summary>
    /// When another server already received this run (an import of its data directory): kept as the
    /// record's received_at. Null, as for every post, means now, by the record store's clock.
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The JSON values compacted, once the envelope has made them (small submissions only).</summary>
    internal CompactedValues? Compacted { get; set; }
}
