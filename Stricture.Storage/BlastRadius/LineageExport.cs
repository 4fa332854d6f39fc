using System.Buffers;
using System.Text.Json;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// What a lineage-export says about other systems, as upstream's lineage tool writes it
/// (brennhill/stricture, internal/lineage/annotations.go): each of <c>fields[]</c> is published by
/// its <c>source_system</c> and consumes the systems its <c>sources[]</c> name. A source's system is
/// its <c>upstream_system</c>, else the part of its <c>target</c> before the first '.', else the
/// whole target, as upstream's diff reads it (<c>sourceServiceForRef</c>). An export without
/// <c>fields</c> (another producer's format) publishes and consumes nothing. Systems and fields are
/// sorted, so the same export always yields the same index entries.
/// </summary>
public sealed class LineageExport
{
    private LineageExport(SortedDictionary<string, List<PublishedField>> published, SortedDictionary<string, List<ConsumingField>> consumed)
    {
        Published = published;
        Consumed = consumed;
    }

    /// <summary>System name to the fields this export publishes for it.</summary>
    public IReadOnlyDictionary<string, List<PublishedField>> Published { get; }

    /// <summary>System name to this export's fields that consume it, one per (field, source).</summary>
    public IReadOnlyDictionary<string, List<ConsumingField>> Consumed { get; }

    /// <summary>Every system the export publishes or consumes, in ordinal order.</summary>
    public IReadOnlyList<string> Systems => Published.Keys.Union(Consumed.Keys).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Reads a posted artifact field by field: only one field's element is parsed at a time, so a
    /// 10 MB export never becomes a document in memory beside its body (32 concurrent ones did:
    /// 1.7 GiB peak, against 455 MiB without the blast radius; docs/benchmarks.md).
    /// </summary>
    public static LineageExport Parse(ReadOnlySequence<byte> artifact)
    {
        var index = new Builder();
        var reader = new Utf8JsonReader(artifact);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return index.Build();
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFields = reader.ValueTextEquals("fields"u8);
            reader.Read();
            if (!isFields || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                using var field = JsonDocument.ParseValue(ref reader);
                index.AddField(field.RootElement);
            }
        }
        return index.Build();
    }

    public static LineageExport Parse(JsonElement artifact)
    {
        var index = new Builder();
        if (artifact.ValueKind == JsonValueKind.Object && artifact.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in fields.EnumerateArray().Where(field => field.ValueKind == JsonValueKind.Object))
            {
                index.AddField(field);
            }
        }
        return index.Build();
    }

    /// <summary>Collects the systems of an export's fields, one field at a time.</summary>
    private sealed class Builder
    {
        private readonly SortedDictionary<string, List<PublishedField>> _published = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, List<ConsumingField>> _consumed = new(StringComparer.Ordinal);

        public void AddField(JsonElement field)
        {
            var fieldId = Text(field, "field_id");
            if (fieldId.Length == 0)
            {
                return;
            }
            var path = Text(field, "field");
            if (Text(field, "source_system") is { Length: > 0 } system)
            {
                Add(_published, system, new PublishedField(fieldId, path));
            }
            if (!field.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (var source in sources.EnumerateArray().Where(source => source.ValueKind == JsonValueKind.Object))
            {
                if (SystemOf(source) is { } upstream)
                {
                    Add(_consumed, upstream, new ConsumingField(
                        fieldId, path, Text(field, "owner"), Text(field, "escalation"),
                        Text(source, "kind"), Text(source, "target"), Text(source, "path"), Text(source, "scope")));
                }
            }
        }

        public LineageExport Build()
        {
            foreach (var list in _published.Values)
            {
                list.Sort(PublishedField.Order);
            }
            foreach (var list in _consumed.Values)
            {
                list.Sort(ConsumingField.Order);
            }
            return new LineageExport(_published, _consumed);
        }
    }

    /// <summary>The system that publishes <paramref name="fieldId"/> in this export, or null.</summary>
    public (string System, PublishedField Field)? Publisher(string fieldId)
    {
        foreach (var (system, fields) in Published)
        {
            if (fields.Find(field => field.FieldId == fieldId) is { } found)
            {
                return (system, found);
            }
        }
        return null;
    }

    private static string? SystemOf(JsonElement source)
    {
        if (Text(source, "upstream_system").Trim() is { Length: > 0 } upstream)
        {
            return upstream;
        }
        var target = Text(source, "target").Trim();
        if (target.Length == 0)
        {
            return null;
        }
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? target[..dot] : target;
    }

    private static void Add<T>(SortedDictionary<string, List<T>> bySystem, string system, T item)
    {
        if (!bySystem.TryGetValue(system, out var list))
        {
            bySystem[system] = list = [];
        }
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
