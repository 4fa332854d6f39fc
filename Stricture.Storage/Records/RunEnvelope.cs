using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Records;

/// <summary>
/// Writes the stored record and the content fingerprint that decides whether a retry is the same
/// post. The envelope's bytes are a pure function of the submission, the run id and the server's
/// fields: received_at and, for an assessed run, its impact and gate, which are evidence of the
/// moment it was accepted and so are kept in the record rather than derived again.
/// </summary>
public static class RunEnvelope
{
    public const string Schema = "stricture.run/v1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep non-ASCII text as UTF-8 instead of \u escapes; the envelope is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>
    /// SHA-256 (lowercase hex) of the submission's content: every request field in a fixed order,
    /// compacted. Two posts with the same fingerprint are the same post, whatever their whitespace,
    /// string escapes or top-level field order.
    /// </summary>
    public static string Fingerprint(RunSubmission submission, string runId)
    {
        using var sink = new HashingWriteStream(Stream.Null);
        using (var writer = new Utf8JsonWriter(sink, WriterOptions))
        {
            Write(writer, submission, runId, serverFields: null);
        }
        return sink.FinishSha256();
    }

    /// <summary>Writes the envelope to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(
        Stream destination, RunSubmission submission, string runId, ServerFields serverFields, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(destination, WriterOptions);
        Write(writer, submission, runId, serverFields);
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>What the server adds to the posted content; <paramref name="Assessment"/> is null for a run that was not assessed.</summary>
    public sealed record ServerFields(string ReceivedAt, string ContentSha256, BlastRadius.RunAssessment? Assessment = null);

    private static void Write(Utf8JsonWriter writer, RunSubmission submission, string runId, ServerFields? serverFields)
    {
        writer.WriteStartObject();
        if (serverFields is not null)
        {
            writer.WriteString("schema", Schema);
        }
        writer.WriteString("organization", submission.Service.Organization);
        writer.WriteString("project", submission.Service.Project);
        writer.WriteString("service", submission.Service.Service);
        writer.WriteString("run_id", runId);
        if (submission.CommitSha is not null)
        {
            writer.WriteString("commit_sha", submission.CommitSha);
        }
        if (submission.GeneratedAtText is not null)
        {
            writer.WriteString("generated_at", submission.GeneratedAtText);
        }
        if (serverFields is not null)
        {
            writer.WriteString("received_at", serverFields.ReceivedAt);
            writer.WriteString("content_sha256", serverFields.ContentSha256);
            if (serverFields.Assessment is { } assessment)
            {
                if (assessment.Impact is { } impact)
                {
                    writer.WritePropertyName("impact");
                    JsonSerializer.Serialize(writer, impact, StorageJsonContext.Default.RunImpact);
                }
                writer.WritePropertyName("gate");
                JsonSerializer.Serialize(writer, assessment.Gate, StorageJsonContext.Default.GateDecision);
            }
        }
        var compacted = CompactedValues.Of(submission, WriterOptions);
        WriteValue(writer, "metadata"u8, submission.Metadata, compacted?.Metadata);
        WriteValue(writer, "artifact"u8, submission.Artifact, compacted?.Artifact);
        WriteValue(writer, "diff"u8, submission.Diff, compacted?.Diff);
        WriteValue(writer, "summary"u8, submission.Summary, compacted?.Summary);
        writer.WriteEndObject();
    }

    /// <summary>A JSON value of the post, when present: its compacted bytes when kept, else compacted now.</summary>
    private static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySequence<byte>? value, ReadOnlyMemory<byte>? compacted)
    {
        if (value is not { } json)
        {
            return;
        }
        writer.WritePropertyName(name);
        if (compacted is { } bytes)
        {
            writer.WriteRawValue(bytes.Span, skipInputValidation: true);
        }
        else
        {
            JsonCompactor.Write(writer, json);
        }
    }
}
