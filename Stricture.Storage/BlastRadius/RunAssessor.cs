using System.Runtime.CompilerServices;
using System.Text.Json;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// The blast-radius step of ingest (<see cref="IRunAssessor"/>): classify the run's diff against the
/// index as it stands (other services' latest exports, and this service's previous one) and decide
/// its gate under the organization's policy, for the claim to record; then, once the payload is
/// stored, index the run's export if it is the service's newest.
/// Cost: the post's own artifact and diff parsed once more, the reads of
/// <see cref="ImpactClassifier"/>, and <see cref="BlastRadiusIndex.IndexAsync"/>'s writes, all bounded by the post.
/// </summary>
public sealed class RunAssessor(RunCatalog catalog, IGatePolicySource policies) : IRunAssessor
{
    private readonly ImpactClassifier _classifier = new(catalog.BlastRadius);

    // The export DecideAsync parsed, for IndexAsync of the same submission to reuse; it lives as
    // long as the submission does, and a submission never decided is parsed where it is indexed.
    private readonly ConditionalWeakTable<RunSubmission, LineageExport> _parsed = new();

    public async Task<RunAssessment?> DecideAsync(RunIdentity run, RunSubmission submission, CancellationToken cancellationToken)
    {
        if (submission.Diff is not { } diff)
        {
            return null;
        }
        var export = LineageExport.Parse(submission.Artifact);
        _parsed.AddOrUpdate(submission, export);
        using var document = JsonDocument.Parse(diff);
        var (impact, changes) = await _classifier.ClassifyAsync(run.Service, export, document.RootElement, cancellationToken);
        return new RunAssessment(impact, GateDecision.Evaluate(policies.For(run.Service.Organization), changes));
    }

    public Task IndexAsync(AcceptedRun run, CancellationToken cancellationToken)
    {
        var export = _parsed.TryGetValue(run.Submission, out var parsed) ? parsed : LineageExport.Parse(run.Submission.Artifact);
        var occurredAt = run.Submission.GeneratedAt is { } generatedAt ? UtcTimestamp.Format(generatedAt) : run.ReceivedAt;
        var order = new ManifestEntry(run.Run.RunId, run.Location, "", 0, run.ReceivedAt, occurredAt, null);
        return catalog.BlastRadius.IndexAsync(run.Run.Service, order, export, cancellationToken);
    }
}
