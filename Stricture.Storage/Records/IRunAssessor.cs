using Stricture.Storage.BlastRadius;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Records;

/// <summary>
/// The blast-radius step of every post, in two parts:
/// <list type="number">
/// <item><see cref="DecideAsync"/>, before the record is staged: what the catalog and the 202 say about
/// the run beyond its posted content (its impact and gate). The record holds the answer, so a retry,
/// which finds the record, gets the first post's answer and does not decide again.</item>
/// <item><see cref="IndexAsync"/>, after the payload is stored and before the run is cataloged: keeps the
/// derived indexes that follow each service's latest export current. Called for every accepted post,
/// a retry included; an exception fails the post, whose retry calls it again.</item>
/// </list>
/// </summary>
public interface IRunAssessor
{
    /// <returns>The run's assessment, or null when the run has no diff to assess.</returns>
    Task<RunAssessment?> DecideAsync(RunIdentity run, RunSubmission submission, CancellationToken cancellationToken);

    Task IndexAsync(AcceptedRun run, CancellationToken cancellationToken);
}
