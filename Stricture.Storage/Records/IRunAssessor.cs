using Stricture.Storage.BlastRadius;

namespace Stricture.Storage.Records;

/// <summary>
/// A step of every accepted post after its payload is stored and before it is cataloged: decides
/// what the catalog and the 202 say about the run beyond its payload (its blast radius and gate),
/// durably, and keeps derived indexes that follow the latest export current. A retry must get the
/// first post's answer. An exception fails the post, whose retry calls the step again.
/// </summary>
public interface IRunAssessor
{
    /// <returns>The run's assessment, or null when the run has no diff to assess.</returns>
    Task<RunAssessment?> AssessAsync(AcceptedRun run, CancellationToken cancellationToken);
}
