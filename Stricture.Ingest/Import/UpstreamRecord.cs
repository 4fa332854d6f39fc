using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Ingest.Requests;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Import;

/// <summary>One identifier the import renamed: the grammar refused it, the upstream rule gave <see cref="To"/>.</summary>
internal sealed record IdentifierRename(string Field, string From, string To)
{
    public override string ToString() => $"{Field} '{From}' -> '{To}'";
}

/// <summary>A run read from the upstream data directory, ready for the record store, and what was renamed on the way.</summary>
internal sealed record UpstreamRun(RunSubmission Submission, IReadOnlyList<IdentifierRename> Renames);

/// <summary>
/// Reads the envelope the upstream Go server wrote (its request fields, already normalised by its
/// own rule, plus <c>received_at</c>) into the submission a post of the same fields would make,
/// received when that server received it. It goes through the same parser as a post, so an imported
/// record obeys every rule a posted one does. An identifier the grammar refuses (longer than its
/// limit after all, or from an older upstream version) is renamed by the upstream rule, and the
/// rename reported; anything still invalid is a reason to skip the file.
/// </summary>
internal static class UpstreamRecord
{
    private static readonly string[] Identifiers = ["organization", "project", "service", "run_id"];

    public static bool TryRead(
        byte[] bytes, string runDirectory, [NotNullWhen(true)] out UpstreamRun? run, [NotNullWhen(false)] out string? reason)
    {
        (run, reason) = (null, null);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = JsonLimits.MaxDepth });
        }
        catch (JsonException exception)
        {
            reason = $"not valid JSON: {exception.Message}";
            return false;
        }
        if (node is not JsonObject envelope)
        {
            reason = "not a JSON object";
            return false;
        }
        if (!TryTakeReceivedAt(envelope, out var receivedAt, out reason))
        {
            return false;
        }
        // Upstream always writes the run id it stored under; the directory name is the same id.
        envelope["run_id"] ??= runDirectory;
        var renames = new List<IdentifierRename>();
        foreach (var field in Identifiers)
        {
            if (envelope[field] is JsonValue value && value.TryGetValue<string>(out var name) && Refused(field, name) &&
                UpstreamIdentifier.Normalize(name) is var renamed && !Refused(field, renamed))
            {
                envelope[field] = renamed;
                renames.Add(new IdentifierRename(field, name, renamed));
            }
        }
        if (!SubmissionParser.TryParse(new ReadOnlySequence<byte>(JsonSerializer.SerializeToUtf8Bytes(envelope)), out var submission, out var problem))
        {
            reason = problem.Detail;
            return false;
        }
        run = new UpstreamRun(new RunSubmission
        {
            Service = submission.Service,
            RunId = submission.RunId,
            CommitSha = submission.CommitSha,
            GeneratedAtText = submission.GeneratedAtText,
            GeneratedAt = submission.GeneratedAt,
            Artifact = submission.Artifact,
            Diff = submission.Diff,
            Metadata = submission.Metadata,
            Summary = submission.Summary,
            ReceivedAt = receivedAt,
        }, renames);
        return true;
    }

    private static bool TryTakeReceivedAt(JsonObject envelope, out DateTimeOffset receivedAt, [NotNullWhen(false)] out string? reason)
    {
        (receivedAt, reason) = (default, null);
        if (envelope["received_at"] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            reason = "has no received_at string: not an envelope the upstream server wrote";
            return false;
        }
        if (!Rfc3339.TryParse(text, out receivedAt))
        {
            reason = $"received_at '{text}' is not an RFC 3339 date-time";
            return false;
        }
        envelope.Remove("received_at");
        return true;
    }

    private static bool Refused(string field, string name) =>
        (field == "run_id" ? IdentifierError.CheckRunId(name) : IdentifierError.Check(field, name)) is not null;
}
