using System.Runtime.InteropServices;
using System.Text;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The SHA-256 the filesystem driver records with every file, in its <c>user.stricture.sha256</c>
/// extended attribute (a hard link shares it; every read checks it).
///
/// It is written as the 32-byte digest: with its name that fits in the spare space of an ext4 inode
/// of the default 256 bytes, so it costs the file nothing on disk. As 64 hex characters, as files
/// written before hold it, it takes a 4 KiB block of its own per file: a second block for a record
/// of 4 KiB, one more to write at each checkpoint and to free at each delete. Both forms are read.
/// </summary>
internal static class Sha256Attribute
{
    public const string Name = "user.stricture.sha256";

    private const int DigestLength = 32;
    private const int HexLength = 64;

    /// <summary>Records <paramref name="sha256"/> (lowercase hex); false where the filesystem keeps no user extended attributes.</summary>
    public static bool TryWrite(SafeHandle file, string sha256) =>
        Posix.TrySetAttribute(file, Name, Convert.FromHexString(sha256));

    /// <summary>
    /// The recorded SHA-256 as lowercase hex, or null when none is recorded (or the filesystem keeps
    /// none). A value of neither length is returned as hex too, so it fails the caller's comparison:
    /// damage, not a missing record.
    /// </summary>
    public static string? Read(SafeHandle file)
    {
        // Read on every read of a key: into the stack, not a buffer per call.
        Span<byte> value = stackalloc byte[128];
        return Posix.ReadAttribute(file, Name, value) switch
        {
            < 0 => null,
            HexLength => Encoding.ASCII.GetString(value[..HexLength]),
            DigestLength => Convert.ToHexStringLower(value[..DigestLength]),
            var length => Convert.ToHexStringLower(value[..length]),
        };
    }
}
