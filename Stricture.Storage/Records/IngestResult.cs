namespace Stricture.Storage.Records;

public enum IngestStatus
{
    /// <summary>The record is durably stored (now, or by an earlier identical post).</summary>
    Accepted,
    /// <summary>The run id is taken by a post with other content; nothing was written.</summary>
    Conflict,
}

/// <summary>
/// What became of one post. <see cref="Location"/> is the payload's canonical key; <see cref="Drift"/>
/// is the accepted run's drift summary (null without a diff, or for a conflict).
/// </summary>
public sealed record IngestResult(IngestStatus Status, string RunId, string Location, string Sha256, long Size, bool Created)
{
    public Drift.DriftSummary? Drift { get; init; }

    /// <summary>The accepted run's impact and gate (null without a diff, or without an assessor, or for a conflict).</summary>
    public BlastRadius.RunAssessment? Assessment { get; init; }

    public static IngestResult Accepted(RunIndexEntry entry, string sha256, long size, bool created) =>
        new(IngestStatus.Accepted, entry.RunId, entry.Key, sha256, size, created);

    public static IngestResult Conflict(RunIndexEntry existing) =>
        new(IngestStatus.Conflict, existing.RunId, existing.Key, Sha256: "", Size: 0, Created: false);
}
