using Stricture.Storage.Drift;
using Stricture.Storage.Identity;

namespace Stricture.Storage.Records;

/// <summary>
/// Work that must be durable before a post is acknowledged and that follows from the accepted run
/// (the webhook outbox). Called for every accepted post, a first write or an identical retry, after
/// the run is in the catalog; a retry must find its work already done and add nothing. An exception
/// fails the post, whose retry calls the hook again.
/// </summary>
public interface IAcceptedRunHook
{
    Task OnAcceptedAsync(AcceptedRun run, CancellationToken cancellationToken);
}

/// <summary>
/// An accepted run: its identity, its record's key, the received_at its record holds, the post as
/// validated, and its drift summary (null without a diff), the one the catalog records.
/// </summary>
public sealed record AcceptedRun(RunIdentity Run, string Location, string ReceivedAt, RunSubmission Submission, DriftSummary? Drift)
{
    /// <summary>The run's impact and gate, once <see cref="IRunAssessor"/> has decided them (null without a diff).</summary>
    public BlastRadius.RunAssessment? Assessment { get; init; }
}
