using System.Buffers;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// What a key may look like on every driver: '/'-separated segments of letters, digits and
/// '.', '_', '-', '='; no empty, '.' or '..' segment; no leading '/'. Keys are built by
/// <see cref="Keys.RecordKeys"/> from validated identifiers; this is the last line of defence
/// before a key becomes a path.
/// </summary>
public static class ObjectKeyRules
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-=/");

    public static bool IsValid(string key)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAnyExcept(Allowed) >= 0)
        {
            return false;
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }
        return true;
    }

    public static void ThrowIfInvalid(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid object key.", nameof(key));
        }
    }
}
