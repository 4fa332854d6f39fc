using Stricture.Storage.BlastRadius;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Policy;

/// <summary>
/// The blast-radius step when STRICTURE_SERVER_BLAST_RADIUS=off: no run is assessed, so each is
/// stored and answered as a run without a diff is (no impact, no gate), and the index is left alone.
/// </summary>
internal sealed class NoRunAssessment : IRunAssessor
{
    public static readonly NoRunAssessment Instance = new();

    public Task<RunAssessment?> DecideAsync(RunIdentity run, RunSubmission submission, CancellationToken cancellationToken) =>
        Task.FromResult<RunAssessment?>(null);

    public Task IndexAsync(AcceptedRun run, CancellationToken cancellationToken) => Task.CompletedTask;
}
