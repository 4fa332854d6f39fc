using System.Text.Json;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Drift;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Storage.Catalog;

/// <summary>
/// Derives a run's <see cref="ManifestEntry"/> from its stored record alone, the way ingest derives
/// it from the post, so that a rebuild and incremental maintenance write the same bytes. A record
/// carries its assessment (impact and gate) when it has one; a dated-layout payload does not (its
/// claim does).
/// </summary>
public static class EnvelopeReader
{
    public static ManifestEntry ToManifestEntry(StoredObject payload)
    {
        var header = ReadHeader(payload, withDrift: true);
        string? normalizedGeneratedAt = null;
        if (header.GeneratedAt is not null)
        {
            Expect(Rfc3339.TryParse(header.GeneratedAt, out var parsed), payload.Key, "has an invalid generated_at");
            normalizedGeneratedAt = UtcTimestamp.Format(parsed);
        }
        return new ManifestEntry(
                header.RunId, payload.Key, payload.Sha256, payload.Content.Length, header.ReceivedAt, normalizedGeneratedAt, header.CommitSha, header.Drift)
            .WithAssessment(header.Assessment);
    }

    /// <summary>
    /// What a record says about its claim on the run id: the same facts a dated-layout claim kept in
    /// its own object (<see cref="RunIndexEntry"/>), read from the record's server fields.
    /// </summary>
    public static RunIndexEntry ToIndexEntry(StoredObject record)
    {
        var header = ReadHeader(record, withDrift: false);
        Expect(header.ContentSha256 is not null, record.Key, "lacks content_sha256");
        return new RunIndexEntry(header.RunId, record.Key, header.ReceivedAt, header.ContentSha256!).WithAssessment(header.Assessment);
    }

    /// <summary>True when <paramref name="stored"/> is a record (it begins with its schema), false for a dated-layout claim.</summary>
    public static bool IsRecord(StoredObject stored) => stored.Content.Span.StartsWith("{\"schema\":"u8);

    private sealed record Header(
        string RunId, string ReceivedAt, string? GeneratedAt, string? CommitSha, string? ContentSha256, DriftSummary? Drift, RunAssessment? Assessment);

    private static Header ReadHeader(StoredObject payload, bool withDrift)
    {
        string? runId = null, receivedAt = null, generatedAt = null, commitSha = null, contentSha256 = null;
        DriftSummary? drift = null;
        RunImpact? impact = null;
        GateDecision? gate = null;
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
                case "content_sha256": contentSha256 = reader.GetString(); break;
                case "impact": impact = JsonSerializer.Deserialize(ref reader, StorageJsonContext.Default.RunImpact); break;
                case "gate": gate = JsonSerializer.Deserialize(ref reader, StorageJsonContext.Default.GateDecision); break;
                case "diff" when withDrift: drift = ReadDrift(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        Expect(runId is not null && receivedAt is not null, payload.Key, "lacks run_id or received_at");
        return new Header(runId!, receivedAt!, generatedAt, commitSha, contentSha256, drift, gate is null ? null : new RunAssessment(impact, gate));
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
