using System.Text;

namespace Stricture.Tests.Fuzz;

/// <summary>
/// Seeded mutations of corpus inputs, so the suite's fuzzing run is the same on every machine: byte
/// flips, insertions, deletions, duplicated ranges, splices of two inputs, and tokens that have broken
/// JSON handling elsewhere (lone surrogate escapes, overlong UTF-8, deep nesting, huge numbers).
/// libFuzzer and AFL (bench/Stricture.Fuzz) do this at scale, guided by coverage; this is the part
/// that can run in CI.
/// </summary>
public sealed class CorpusMutator(int seed, IReadOnlyList<byte[]> corpus)
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\\u", "\"\\", "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-", "1e999",
            "-0.0e-0", "123456789012345678901234567890", "\"latest\"", "\"..\"", "\"A\"", "\"a/b\"", "\"2026-02-29T24:00:00Z\"",
            "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\"", "\"organization\":\"acme\",", "\"artifact\":{},",
            "/*", "//", "\t", "\r\n", "\ufeff", new string('[', 80), new string('{', 40),
        }.Select(Encoding.UTF8.GetBytes),
        [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x00], [0xE2, 0x80],
    ];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var steps = _random.Next(1, 5);
        for (var step = 0; step < steps; step++)
        {
            var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count + 1);
            switch (_random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    var index = Math.Min(at, bytes.Count - 1);
                    bytes[index] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)_random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    var start = Math.Min(at, bytes.Count - 1);
                    bytes.RemoveRange(start, _random.Next(1, Math.Min(16, bytes.Count - start) + 1));
                    break;
                case 3 when bytes.Count > 0:
                    var from = _random.Next(bytes.Count);
                    var length = _random.Next(1, Math.Min(64, bytes.Count - from) + 1);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
                case 4:
                    var other = corpus[_random.Next(corpus.Count)];
                    var cut = _random.Next(other.Length + 1);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.AsSpan(cut).ToArray());
                    break;
                default:
                    bytes.InsertRange(at, Tokens[_random.Next(Tokens.Length)]);
                    break;
            }
        }
        return [.. bytes];
    }
}
