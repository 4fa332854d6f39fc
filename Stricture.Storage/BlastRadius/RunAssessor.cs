using System.Text.Json;
using Stricture.Storage.Catalog;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// The blast-radius step of ingest (<see cref="IRunAssessor"/>): classify the run's diff against the
/// index as it stands (other services' latest exports, and this service's previous one), decide its
/// gate under the organization's policy, record both once (create-if-absent, so a retry reads the
/// first answer back), then index the run's export if it is the service's newest.
/// Cost: the post's own artifact and diff parsed once more, the reads of <see cref="ImpactClassifier"/>,
/// one create, and <see cref="BlastRadiusIndex.IndexAsync"/>'s writes, all bounded by the post.
/// </summary>
public sealed class RunAssessor(IObjectStore store, RunCatalog catalog, IGatePolicySource policies) : IRunAssessor
{
    private readonly ImpactClassifier _classifier = new(catalog.BlastRadius);

    public async Task<RunAssessment?> AssessAsync(AcceptedRun run, CancellationToken cancellationToken)
    {
        var export = LineageExport.Parse(run.Submission.Artifact);
        RunAssessment? assessment = null;
        if (run.Submission.Diff is { } diff)
        {
            assessment = await DecideOnceAsync(run, export, diff, cancellationToken);
        }
        var occurredAt = run.Submission.GeneratedAt is { } generatedAt ? UtcTimestamp.Format(generatedAt) : run.ReceivedAt;
        var order = new ManifestEntry(run.Run.RunId, run.Location, "", 0, run.ReceivedAt, occurredAt, null);
        await catalog.BlastRadius.IndexAsync(run.Run.Service, order, export, cancellationToken);
        return assessment;
    }

    private async Task<RunAssessment> DecideOnceAsync(AcceptedRun run, LineageExport export, System.Buffers.ReadOnlySequence<byte> diff, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(diff);
        var (impact, changes) = await _classifier.ClassifyAsync(run.Run.Service, export, document.RootElement, cancellationToken);
        var decided = new RunAssessment(impact, GateDecision.Evaluate(policies.For(run.Run.Service.Organization), changes));
        var key = catalog.BlastRadius.Keys.Assessment(run.Run);
        if (await store.CreateIfAbsentAsync(key, Serialize(decided), cancellationToken) == CreateOutcome.Created)
        {
            return decided;
        }
        return await ReadAsync(store, key, cancellationToken) ?? throw new InvalidOperationException($"'{key}' exists and then does not.");
    }

    public static byte[] Serialize(RunAssessment assessment) =>
        JsonSerializer.SerializeToUtf8Bytes(assessment, BlastRadiusJsonContext.Default.RunAssessment);

    /// <summary>A run's recorded assessment, or null when none was recorded.</summary>
    public static async Task<RunAssessment?> ReadAsync(IObjectStore store, string key, CancellationToken cancellationToken) =>
        await store.ReadAsync(key, cancellationToken) is { } stored
            ? JsonSerializer.Deserialize(stored.Content.Span, BlastRadiusJsonContext.Default.RunAssessment)
            : null;
}
