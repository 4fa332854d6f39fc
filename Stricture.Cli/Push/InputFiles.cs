using System.Text;
using System.Text.Json;

namespace Stricture.Cli.Push;

/// <summary>
/// Reads the files a push sends and checks them the way the server will, before any request: a
/// JSON file must be one well-formed JSON object (UTF-8, no comments, no trailing data, nesting
/// within the server's limit of 64, no property repeated in one object), and the summary must be
/// UTF-8 text. A problem names the file and, for JSON, the line and column where it is.
/// </summary>
public static class InputFiles
{
    // The server's JSON nesting limit (docs/api.md, invalid-json).
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's bytes, without a UTF-8 byte order mark, once checked to be one JSON object.</summary>
    public static byte[] ReadJsonObject(string path, string role)
    {
        var bytes = Read(path, role);
        var json = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                throw new InputFileException($"{role} file '{path}' is empty; it must hold a JSON object.");
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InputFileException($"{role} file '{path}' must hold a JSON object, not {Describe(reader.TokenType)} (line 1).");
            }
            if (DuplicateProperties.Find(ref reader) is { } duplicate)
            {
                var (line, column) = Position(json, duplicate.Offset);
                throw new InputFileException(
                    $"{role} file '{path}': the property '{duplicate.Name}' appears twice in one object (line {line}, column {column}); the server refuses that.");
            }
            // Reading past the object makes the reader reject anything after it.
            reader.Read();
        }
        catch (JsonException exception)
        {
            var line = (exception.LineNumber ?? 0) + 1;
            var column = (exception.BytePositionInLine ?? 0) + 1;
            throw new InputFileException($"{role} file '{path}' is not valid JSON at line {line}, column {column}: {FirstSentence(exception.Message)}");
        }
        return json;
    }

    /// <summary>The summary's text, once checked to be UTF-8.</summary>
    public static string ReadText(string path, string role)
    {
        var bytes = Read(path, role);
        try
        {
            return StrictUtf8.GetString(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw new InputFileException($"{role} file '{path}' is not UTF-8 text (byte {exception.Index + 1} is invalid).");
        }
    }

    private static byte[] Read(string path, string role)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{role} file '{path}' cannot be read: {exception.Message}");
        }
    }

    /// <summary>1-based line and column (in bytes) of an offset, as an editor shows them.</summary>
    private static (long Line, long Column) Position(ReadOnlySpan<byte> json, long offset)
    {
        var before = json[..(int)offset];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, offset - lastNewline);
    }

    // The reader's messages end with its own position, and some with advice about its options that
    // means nothing to someone fixing a file.
    private static string FirstSentence(string message)
    {
        foreach (var tail in new[] { " LineNumber:", " Change the reader options.", " which is not supported in this mode" })
        {
            var end = message.IndexOf(tail, StringComparison.Ordinal);
            message = end > 0 ? message[..end].Trim() : message;
        }
        return message.EndsWith('.') ? message : message + ".";
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
