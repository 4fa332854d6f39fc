using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Upstream;

/// <summary>
/// A data directory as the upstream Go server leaves it: <c>&lt;org&gt;/&lt;project&gt;/&lt;service&gt;/&lt;run_id&gt;/payload.json</c>,
/// each file its request fields (in its struct's order, empty ones left out) plus <c>received_at</c>
/// (RFC 3339, whole seconds), indented by two spaces, ending in a newline, as its FileStore writes them.
/// </summary>
public sealed class GoDataDirectory : IDisposable
{
    private readonly TestDirectory _directory = new();

    public string Path => _directory.Path;

    /// <summary>Writes one run as the Go server would have stored it; returns the file's path.</summary>
    public string AddRun(string organization, string project, string service, string runId, string receivedAt,
        string? commitSha = null, string? generatedAt = null, string? summary = null, bool withDiff = false)
    {
        var envelope = new JsonObject
        {
            ["organization"] = organization,
            ["project"] = project,
            ["service"] = service,
            ["run_id"] = runId,
        };
        if (commitSha is not null)
        {
            envelope["commit_sha"] = commitSha;
        }
        if (generatedAt is not null)
        {
            envelope["generated_at"] = generatedAt;
        }
        envelope["artifact"] = new JsonObject { ["field"] = "payment.status", ["source"] = "PaymentGateway" };
        if (withDiff)
        {
            envelope["diff"] = new JsonObject { ["changes"] = new JsonArray() };
        }
        if (summary is not null)
        {
            envelope["summary"] = summary;
        }
        envelope["metadata"] = new JsonObject { ["pipeline"] = "ci" };
        envelope["received_at"] = receivedAt;
        return Write(organization, project, service, runId, envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Writes arbitrary bytes where a run's payload.json belongs (a damaged or foreign file).</summary>
    public string Write(string organization, string project, string service, string runId, string content)
    {
        var directory = System.IO.Path.Combine(Path, organization, project, service, runId);
        Directory.CreateDirectory(directory);
        var file = System.IO.Path.Combine(directory, "payload.json");
        File.WriteAllText(file, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return file;
    }

    public void Dispose() => _directory.Dispose();
}
