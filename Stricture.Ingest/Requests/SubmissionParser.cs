using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Stricture.Ingest.Problems;
using Stricture.Storage.Identity;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Turns a POST /v1/artifacts body into a <see cref="RunSubmission"/>, or names exactly what is
/// wrong with it. One forward pass with <see cref="Utf8JsonReader"/>: no DOM, so a 10 MB artifact
/// costs its own bytes and no copy; object values are checked for duplicated properties and kept
/// as slices of the body.
/// </summary>
internal static class SubmissionParser
{
    private static readonly string[] KnownFields =
        ["organization", "project", "service", "run_id", "commit_sha", "generated_at", "artifact", "diff", "summary", "metadata"];

    /// <summary>Parses with strict identifiers: a name outside the grammar is a 400.</summary>
    public static bool TryParse(
        ReadOnlySequence<byte> body, [NotNullWhen(true)] out RunSubmission? submission, [NotNullWhen(false)] out RequestProblem? problem) =>
        TryParse(body, normalizeIdentifiers: false, out submission, out _, out problem);

    /// <summary>
    /// Parses; with <paramref name="normalizeIdentifiers"/>, each identifier is first renamed by the
    /// upstream server's rule (<see cref="UpstreamIdentifier"/>), then checked against the grammar, and
    /// <paramref name="asSent"/> keeps them as the post sent them when that changed any (else null).
    /// </summary>
    public static bool TryParse(
        ReadOnlySequence<byte> body, bool normalizeIdentifiers,
        [NotNullWhen(true)] out RunSubmission? submission, out IdentifiersAsSent? asSent, [NotNullWhen(false)] out RequestProblem? problem)
    {
        asSent = null;
        if (!Utf8Validation.IsValid(body))
        {
            (submission, problem) = (null, RequestProblem.BadRequest("invalid-utf8", "The request body is not valid UTF-8."));
            return false;
        }
        try
        {
            (submission, asSent, problem) = ParseJson(body, normalizeIdentifiers);
        }
        catch (JsonException exception)
        {
            (submission, problem) = (null, RequestProblem.BadRequest("invalid-json", $"The request body is not valid JSON: {exception.Message}"));
        }
        return submission is not null;
    }

    private static (RunSubmission?, IdentifiersAsSent?, RequestProblem?) ParseJson(ReadOnlySequence<byte> body, bool normalizeIdentifiers)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = JsonLimits.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (null, null, RequestProblem.BadRequest("invalid-json", "The request body must be a JSON object."));
        }

        var fields = new Fields();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonStrings.Read(ref reader);
            if (!seen.Add(name))
            {
                return (null, null, RequestProblem.BadRequest("duplicate-property", $"The field '{name}' appears more than once.", name));
            }
            if (Array.IndexOf(KnownFields, name) < 0)
            {
                return (null, null, RequestProblem.BadRequest("unknown-field",
                    $"'{name}' is not a field of an artifact post; the fields are: {string.Join(", ", KnownFields)}.", name));
            }
            reader.Read();
            var problem = ReadField(ref reader, body, name, fields);
            if (problem is not null)
            {
                return (null, null, problem);
            }
        }
        // Reading past the end makes the reader reject anything after the object.
        reader.Read();

        foreach (var (name, value) in new[] { ("organization", fields.Organization), ("project", fields.Project), ("service", fields.Service) })
        {
            if (value is null)
            {
                return (null, null, RequestProblem.BadRequest("missing-field", $"The field '{name}' is required.", name));
            }
        }
        var asSent = normalizeIdentifiers ? Normalize(fields) : null;
        // The identity is checked once, here, through its one factory; what it builds is valid.
        if (!ServiceIdentity.TryCreate(fields.Organization!, fields.Project!, fields.Service!, out var service, out var invalid) ||
            (fields.RunId is { } runId && !service.TryWithRun(runId, out _, out invalid)))
        {
            return (null, null, IdentifierProblem.From(asSent is null ? invalid : invalid with
            {
                Reason = $"{invalid.Reason} (This is the name once renamed by the upstream rule, as STRICTURE_SERVER_IDENTIFIERS=normalize does.)",
            }));
        }
        if (fields.Artifact is not { } artifact)
        {
            return (null, null, RequestProblem.BadRequest("missing-field", "The field 'artifact' is required: the lineage-export JSON object.", "artifact"));
        }

        return (new RunSubmission
        {
            Service = service,
            RunId = fields.RunId,
            CommitSha = fields.CommitSha,
            GeneratedAtText = fields.GeneratedAtText,
            GeneratedAt = fields.GeneratedAt,
            Artifact = artifact,
            Diff = fields.Diff,
            Metadata = fields.Metadata,
            Summary = fields.Summary,
        }, asSent, null);
    }

    /// <summary>Renames the identifiers by the upstream rule; returns them as sent when any changed.</summary>
    private static IdentifiersAsSent? Normalize(Fields fields)
    {
        var sent = new IdentifiersAsSent(fields.Organization!, fields.Project!, fields.Service!, fields.RunId);
        fields.Organization = UpstreamIdentifier.Normalize(sent.Organization);
        fields.Project = UpstreamIdentifier.Normalize(sent.Project);
        fields.Service = UpstreamIdentifier.Normalize(sent.Service);
        fields.RunId = sent.RunId is null ? null : UpstreamIdentifier.Normalize(sent.RunId);
        return sent == new IdentifiersAsSent(fields.Organization, fields.Project, fields.Service, fields.RunId) ? null : sent;
    }

    private static RequestProblem? ReadField(ref Utf8JsonReader reader, ReadOnlySequence<byte> body, string name, Fields fields) => name switch
    {
        "organization" or "project" or "service" or "run_id" => ReadIdentifier(ref reader, name, fields),
        "commit_sha" => ReadCommitSha(ref reader, fields),
        "generated_at" => ReadGeneratedAt(ref reader, fields),
        "summary" => ReadSummary(ref reader, body, fields),
        _ => ReadObject(ref reader, body, name, fields), // artifact, diff, metadata
    };

    private static RequestProblem? ReadIdentifier(ref Utf8JsonReader reader, string name, Fields fields)
    {
        if (name == "run_id" && reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return WrongType(name, "a string", reader.TokenType);
        }
        var value = JsonStrings.Read(ref reader);
        switch (name)
        {
            case "organization": fields.Organization = value; break;
            case "project": fields.Project = value; break;
            case "service": fields.Service = value; break;
            default: fields.RunId = value; break;
        }
        return null;
    }

    private static RequestProblem? ReadCommitSha(ref Utf8JsonReader reader, Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return WrongType("commit_sha", "a string", reader.TokenType);
        }
        var value = JsonStrings.Read(ref reader);
        if (!CommitSha.TryNormalize(value, out var normalized))
        {
            return RequestProblem.BadRequest("invalid-field", $"'commit_sha' must be {CommitSha.Description}.", "commit_sha");
        }
        fields.CommitSha = normalized;
        return null;
    }

    private static RequestProblem? ReadGeneratedAt(ref Utf8JsonReader reader, Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return WrongType("generated_at", "an RFC 3339 timestamp string", reader.TokenType);
        }
        var value = JsonStrings.Read(ref reader);
        if (!Rfc3339.TryParse(value, out var parsed))
        {
            return RequestProblem.BadRequest("invalid-timestamp",
                $"'generated_at' must be an RFC 3339 date-time with a time zone, such as 2026-11-22T09:30:00Z; got '{value}'.", "generated_at");
        }
        fields.GeneratedAtText = value;
        fields.GeneratedAt = parsed;
        return null;
    }

    private static RequestProblem? ReadSummary(ref Utf8JsonReader reader, ReadOnlySequence<byte> body, Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return WrongType("summary", "a string (markdown text)", reader.TokenType);
        }
        // Kept as the raw string token (quotes included), so a large summary is never decoded here;
        // only its escapes are checked, as the envelope writer will decode them.
        JsonStrings.CheckEscapes(ref reader);
        fields.Summary = body.Slice(reader.TokenStartIndex, reader.BytesConsumed - reader.TokenStartIndex);
        return null;
    }

    private static RequestProblem? ReadObject(ref Utf8JsonReader reader, ReadOnlySequence<byte> body, string name, Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null && name != "artifact")
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return WrongType(name, "a JSON object", reader.TokenType);
        }
        var start = reader.TokenStartIndex;
        if (FindDuplicateProperty(ref reader) is { } duplicate)
        {
            return RequestProblem.BadRequest("duplicate-property",
                $"'{name}' contains the property '{duplicate}' more than once in the same object.", name);
        }
        var slice = body.Slice(start, reader.BytesConsumed - start);
        switch (name)
        {
            case "artifact": fields.Artifact = slice; break;
            case "diff": fields.Diff = slice; break;
            default: fields.Metadata = slice; break;
        }
        return null;
    }

    /// <summary>Walks one object to its end; returns the first property name repeated within one object.</summary>
    private static string? FindDuplicateProperty(ref Utf8JsonReader reader)
    {
        // One set of names per nesting level, cleared and reused for every object at that level:
        // an artifact of 100,000 small objects costs a handful of sets, not 100,000.
        var namesByLevel = new List<HashSet<string>>();
        var startDepth = reader.CurrentDepth;
        NamesAt(namesByLevel, 0).Clear();
        string? duplicate = null;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == startDepth))
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                NamesAt(namesByLevel, reader.CurrentDepth - startDepth).Clear();
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                JsonStrings.CheckEscapes(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.PropertyName && duplicate is null)
            {
                // A property name sits one level below the object that holds it.
                var name = JsonStrings.Read(ref reader);
                if (!NamesAt(namesByLevel, reader.CurrentDepth - 1 - startDepth).Add(name))
                {
                    duplicate = name;
                }
            }
        }
        return duplicate;
    }

    private static HashSet<string> NamesAt(List<HashSet<string>> namesByLevel, int level)
    {
        while (namesByLevel.Count <= level)
        {
            namesByLevel.Add(new HashSet<string>(StringComparer.Ordinal));
        }
        return namesByLevel[level];
    }

    private static RequestProblem WrongType(string field, string expected, JsonTokenType actual) =>
        RequestProblem.BadRequest("invalid-field", $"'{field}' must be {expected}, not {Describe(actual)}.", field);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private sealed class Fields
    {
        public string? Organization;
        public string? Project;
        public string? Service;
        public string? RunId;
        public string? CommitSha;
        public string? GeneratedAtText;
        public DateTimeOffset? GeneratedAt;
        public ReadOnlySequence<byte>? Artifact;
        public ReadOnlySequence<byte>? Diff;
        public ReadOnlySequence<byte>? Metadata;
        public ReadOnlySequence<byte>? Summary;
    }
}
