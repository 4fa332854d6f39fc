using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stricture.Cli.Push;

/// <summary>
/// Writes the POST /v1/artifacts body. The artifact and diff files go in as their own bytes
/// (already checked to be JSON objects), never parsed and re-serialised: member order and number
/// spellings are content to the server (docs/api.md, Idempotency), so re-serialising could turn a
/// retry into a conflict, and a 10 MB artifact would cost a document tree for nothing.
/// </summary>
public static class Envelope
{
    private static readonly JsonWriterOptions Options = new()
    {
        // The server normalises escapes; sending non-ASCII as UTF-8 keeps the body small.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The raw values were checked by InputFiles with the server's own rules.
        SkipValidation = true,
    };

    public static byte[] Write(PushRequest request)
    {
        using var buffer = new MemoryStream(request.Artifact.Length + (request.Diff?.Length ?? 0) + 1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("organization", request.Organization);
            writer.WriteString("project", request.Project);
            writer.WriteString("service", request.Service);
            writer.WriteString("run_id", request.RunId);
            if (request.CommitSha is not null)
            {
                writer.WriteString("commit_sha", request.CommitSha);
            }
            if (request.GeneratedAt is not null)
            {
                writer.WriteString("generated_at", request.GeneratedAt);
            }
            writer.WritePropertyName("artifact");
            writer.WriteRawValue(request.Artifact, skipInputValidation: true);
            if (request.Diff is not null)
            {
                writer.WritePropertyName("diff");
                writer.WriteRawValue(request.Diff, skipInputValidation: true);
            }
            if (request.Summary is not null)
            {
                writer.WriteString("summary", request.Summary);
            }
            if (request.Metadata.Count > 0)
            {
                writer.WriteStartObject("metadata");
                foreach (var (key, value) in request.Metadata)
                {
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
