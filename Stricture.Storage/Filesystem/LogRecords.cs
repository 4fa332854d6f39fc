using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The commit log's records: how one is written and how a log's are read back and checked.
///
/// Layout: magic (4) | key length (4) | content length (8) | content SHA-256 (32) | check (8:
/// SHA-256 of the preceding 48 bytes, the key and the log's file name) | key (UTF-8) | content.
/// The check covers the log's file name so that, in a recycled log file, the records it held
/// before fail their checks where the new ones end. Records of logs written before recycling
/// existed carry <see cref="UnboundMagic"/> and a check without the file name; they are still read.
/// </summary>
internal static class LogRecords
{
    private const uint Magic = 0x4E525453;
    private const uint UnboundMagic = 0x4C525453;
    private const int FixedHeaderLength = 48;
    private const int CheckLength = 8;
    private const int HeaderLength = FixedHeaderLength + CheckLength;
    private const int MaxKeyBytes = 4096;
    private const int CopyChunk = 64 * 1024;

    public static byte[] Header(string key, StagedObject staged, byte[] logName)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var header = new byte[HeaderLength + keyBytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), keyBytes.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), staged.Length);
        Convert.FromHexString(staged.Sha256).CopyTo(header.AsSpan(16));
        keyBytes.CopyTo(header.AsSpan(HeaderLength));
        Check(header, logName).CopyTo(header.AsSpan(FixedHeaderLength));
        return header;
    }

    /// <summary>The record's check: over its header and key and, unless it is an unbound record (empty <paramref name="logName"/>), its log's file name.</summary>
    private static byte[] Check(ReadOnlySpan<byte> header, ReadOnlySpan<byte> logName)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header[..FixedHeaderLength]);
        hash.AppendData(header[HeaderLength..]);
        hash.AppendData(logName);
        return hash.GetHashAndReset()[..CheckLength];
    }

    public static void CopyContent(StagedObject staged, SafeFileHandle log, long offset)
    {
        // Content not kept in memory is in the staged file (it spilled there).
        using var source = File.OpenHandle(staged.Path ?? throw new InvalidOperationException("Staged content is neither in memory nor in a file."),
            FileMode.Open, FileAccess.Read);
        var buffer = new byte[(int)Math.Min(CopyChunk, Math.Max(staged.Length, 1))];
        for (long copied = 0; copied < staged.Length;)
        {
            var read = RandomAccess.Read(source, buffer, copied);
            if (read == 0)
            {
                throw new IOException($"The staged file '{staged.Path}' is shorter than the {staged.Length} bytes staged.");
            }
            RandomAccess.Write(log, buffer.AsSpan(0, read), offset + copied);
            copied += read;
        }
    }

    /// <summary>
    /// The whole records of a log, in order, up to the first that fails its checks: a torn tail, or
    /// where the records a recycled file held before end.
    /// </summary>
    public static IEnumerable<LoggedContent> ReadRecords(string path)
    {
        var logName = Encoding.UTF8.GetBytes(Path.GetFileName(path));
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(handle);
        var fixedHeader = new byte[FixedHeaderLength + CheckLength];
        for (long offset = 0; offset + HeaderLength <= length;)
        {
            if (RandomAccess.Read(handle, fixedHeader, offset) < HeaderLength
                || BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader) is not (Magic or UnboundMagic))
            {
                yield break;
            }
            var boundTo = BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader) == Magic ? logName : [];
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader.AsSpan(4));
            var contentLength = BinaryPrimitives.ReadInt64LittleEndian(fixedHeader.AsSpan(8));
            if (keyLength is < 1 or > MaxKeyBytes || contentLength < 0 || offset + HeaderLength + keyLength + contentLength > length)
            {
                yield break;
            }
            var header = new byte[HeaderLength + keyLength];
            if (RandomAccess.Read(handle, header, offset) < header.Length
                || !Check(header, boundTo).AsSpan().SequenceEqual(header.AsSpan(FixedHeaderLength, CheckLength)))
            {
                yield break;
            }
            var record = new LoggedContent(
                path, Encoding.UTF8.GetString(header.AsSpan(HeaderLength)), offset + header.Length, contentLength,
                Convert.ToHexStringLower(header.AsSpan(16, 32)));
            if (HashOf(handle, record.Offset, record.Length) != record.Sha256)
            {
                yield break;
            }
            yield return record;
            offset = record.Offset + record.Length;
        }
    }

    private static string HashOf(SafeFileHandle handle, long offset, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyChunk];
        for (long done = 0; done < length;)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), offset + done);
            if (read == 0)
            {
                break;
            }
            hash.AppendData(buffer.AsSpan(0, read));
            done += read;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static byte[] ReadContent(LoggedContent record)
    {
        using var handle = File.OpenHandle(record.LogPath, FileMode.Open, FileAccess.Read);
        var content = new byte[record.Length];
        for (var done = 0; done < content.Length;)
        {
            var read = RandomAccess.Read(handle, content.AsSpan(done), record.Offset + done);
            done += read > 0 ? read : throw new IOException($"The log '{record.LogPath}' ended inside a record it had checked.");
        }
        return content;
    }

    public sealed record LoggedContent(string LogPath, string Key, long Offset, long Length, string Sha256);
}
