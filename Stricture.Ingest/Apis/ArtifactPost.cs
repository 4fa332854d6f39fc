using System.Buffers;
using System.Diagnostics;
using Stricture.Ingest.Audit;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Apis;

/// <summary>
/// One artifact post once its bytes are read: parse and validate, authorize for its organization and
/// project, store durably and idempotently. POST /v1/artifacts runs it for its body and the batch
/// endpoint for each item, so an item is held to exactly what a single post is. What it learns goes on
/// the given audit record; a storage failure is thrown, for the caller to answer.
/// </summary>
internal static class ArtifactPost
{
    /// <summary>Decides whether the caller may write to an organization's project: null when it may, else the 403 problem.</summary>
    public delegate Task<RequestProblem?> Authorize(string organization, string project);

    /// <summary>The stored run (accepted or a conflict), or the problem that refused the post before storage.</summary>
    public static async Task<Validated<IngestResult>> StoreAsync(
        ReadOnlySequence<byte> body, bool normalizeIdentifiers, Authorize authorize, RecordStore records, IngestAuditFeature audit,
        bool tagActivity, CancellationToken cancellationToken)
    {
        if (!SubmissionParser.TryParse(body, normalizeIdentifiers, out var submission, out var asSent, out var parseProblem))
        {
            audit.Reject(parseProblem.Code);
            return parseProblem;
        }
        audit.Identify(submission.Service, submission.RunId, asSent);
        if (await authorize(submission.Service.Organization, submission.Service.Project) is { } forbidden)
        {
            audit.Reject(forbidden.Code);
            return forbidden;
        }
        if (tagActivity)
        {
            Activity.Current?.SetTag("stricture.organization", submission.Service.Organization)
                .SetTag("stricture.project", submission.Service.Project)
                .SetTag("stricture.service", submission.Service.Service);
        }
        var result = await records.IngestAsync(submission, cancellationToken);
        audit.Stored(result);
        if (tagActivity)
        {
            Activity.Current?.SetTag("stricture.run_id", result.RunId);
        }
        return result;
    }
}
