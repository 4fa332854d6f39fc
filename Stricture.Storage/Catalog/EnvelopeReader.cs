using System.Text.Json;
using Stricture.Storage.Drift;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Time;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Derives a run's <see cref="ManifestEntry"/> from its stored payload alone, the way ingest derives
/// it from the post, so that a rebuild and incremental maintenance write the same bytes.
/// </summary>
public static class EnvelopeReader
{
    public static ManifestEntry ToManifestEntry(StoredObject payload)
    {
        string? runId = null, receivedAt = null, generatedAt = null, commitSha = null;
        DriftSummary? drift = null;
        var reader = new Utf8JsonReader(payload.Content.Span);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, payload.Key, "is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "run_id": runId = reader.GetString(); break;
                case "received_at": receivedAt = reader.GetString(); break;
                case "generated_at": generatedAt = reader.GetString(); break;
                case "commit_sha": commitSha = reader.GetString(); break;
                case "diff": drift = ReadDrift(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        Expect(runId is not null && receivedAt is not null, payload.Key, "lacks run_id or received_at");
        string? normalizedGeneratedAt = null;
        if (generatedAt is not null)
        {
            Expect(Rfc3339.TryParse(generatedAt, out var parsed), payload.Key, "has an invalid generated_at");
            normalizedGeneratedAt = UtcTimestamp.Format(parsed);
        }
        return new ManifestEntry(runId!, payload.Key, payload.Sha256, payload.Content.Length, receivedAt!, normalizedGeneratedAt, commitSha, drift);
    }

    /// <summary>What the envelope's artifact says about other systems, for the blast-radius index.</summary>
    public static BlastRadius.LineageExport ReadExport(StoredObject payload)
    {
        using var envelope = JsonDocument.Parse(payload.Content);
        return envelope.RootElement.TryGetProperty("artifact", out var artifact)
            ? BlastRadius.LineageExport.Parse(artifact)
            : throw new InvalidDataException($"The stored envelope '{payload.Key}' has no artifact.");
    }

    /// <summary>The drift of the envelope's diff: the same summary ingest derived from the posted diff, which the envelope holds compacted (same values).</summary>
    private static DriftSummary ReadDrift(ref Utf8JsonReader reader)
    {
        using var diff = JsonDocument.ParseValue(ref reader);
        return DriftSummary.FromDiff(diff.RootElement);
    }

    private static void Expect(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"The stored envelope '{key}' {problem}.");
        }
    }
}
