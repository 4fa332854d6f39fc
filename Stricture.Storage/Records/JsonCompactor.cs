using System.Buffers;
using System.Text.Json;

namespace Stricture.Storage.Records;

/// <summary>
/// Re-writes one well-formed JSON value token by token: insignificant whitespace is dropped and
/// string escapes are normalised, member order, numbers and everything else are kept. This is what
/// makes two posts that differ only in formatting the same content.
/// </summary>
internal static class JsonCompactor
{
    // Utf8JsonWriter buffers everything until flushed; flush often so a large value streams.
    private const int FlushThreshold = 32 * 1024;

    public static void Write(Utf8JsonWriter writer, ReadOnlySequence<byte> value)
    {
        var reader = new Utf8JsonReader(value, new JsonReaderOptions { MaxDepth = JsonLimits.MaxDepth });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    WithUnescaped(ref reader, writer, static (w, name) => w.WritePropertyName(name));
                    break;
                case JsonTokenType.String:
                    WithUnescaped(ref reader, writer, static (w, text) => w.WriteStringValue(text));
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected JSON token {reader.TokenType}.");
            }
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }
    }

    private delegate void Utf8Action(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8);

    private static void WithUnescaped(ref Utf8JsonReader reader, Utf8JsonWriter writer, Utf8Action action)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            action(writer, reader.ValueSpan);
            return;
        }
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = reader.CopyString(buffer);
            action(writer, buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
