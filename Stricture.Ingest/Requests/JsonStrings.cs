using System.Buffers;
using System.Text.Json;

namespace Stricture.Ingest.Requests;

/// <summary>
/// String tokens whose escapes do not spell valid UTF-16, such as a lone surrogate ("\ud800"), are
/// well-formed JSON to <see cref="Utf8JsonReader"/> but cannot be decoded, compacted or stored as
/// UTF-8; the reader throws <see cref="InvalidOperationException"/> only when the text is read. These
/// helpers read or check such a token and turn that failure into a <see cref="JsonException"/>, which
/// the parser answers as a 400, so it never surfaces later in the envelope writer as a 500.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The current property name or string value, decoded.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception) when (reader.ValueIsEscaped)
        {
            throw Invalid(reader, exception);
        }
    }

    /// <summary>Checks that the current token's escapes decode, without keeping the text; unescaped tokens are valid UTF-8 already.</summary>
    public static void CheckEscapes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return;
        }
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            reader.CopyString(buffer);
        }
        catch (InvalidOperationException exception)
        {
            throw Invalid(reader, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonException Invalid(Utf8JsonReader reader, InvalidOperationException exception) =>
        new($"the string at byte {reader.TokenStartIndex} escapes an invalid UTF-16 sequence (such as a lone surrogate, \\ud800).", exception);
}
