using System.Buffers;
using System.Text;

namespace Stricture.Ingest.Requests;

internal static class Utf8Validation
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether the bytes are well-formed UTF-8, across segment boundaries.</summary>
    public static bool IsValid(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return System.Text.Unicode.Utf8.IsValid(bytes.FirstSpan);
        }
        // A Decoder carries a sequence split across two segments over to the next call.
        var decoder = Strict.GetDecoder();
        var scratch = ArrayPool<char>.Shared.Rent(16 * 1024);
        try
        {
            foreach (var segment in bytes)
            {
                var remaining = segment.Span;
                while (!remaining.IsEmpty)
                {
                    decoder.Convert(remaining, scratch, flush: false, out var used, out _, out _);
                    remaining = remaining[used..];
                }
            }
            decoder.Convert([], scratch, flush: true, out _, out _, out _);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }
}
