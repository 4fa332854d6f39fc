using System.Security.Cryptography;
using System.Text;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// The extended attributes the filesystem driver records on every file it commits, where the
/// filesystem supports user extended attributes:
/// <list type="bullet">
/// <item><see cref="Sha256"/>: the content's SHA-256, checked by every read (and the ETag, without reading the content);</item>
/// <item><see cref="Key"/>: a tag of the key the file was committed at (<see cref="KeyTag"/>), empty while a
/// recycled file is rewritten (<see cref="RecycledFiles"/>), so a reader that opened a file just before it
/// was swapped out and recycled can tell that what it read is no longer that key's. Files written before
/// the tag existed have none, and are read as before.</item>
/// </list>
/// </summary>
internal static class FileTags
{
    public const string Sha256 = "user.stricture.sha256";
    public const string Key = "user.stricture.key";

    /// <summary>The first 16 hex digits of the SHA-256 of the key: short enough for any filesystem's attribute, and never empty.</summary>
    public static string KeyTag(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}
