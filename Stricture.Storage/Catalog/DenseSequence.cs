namespace Stricture.Storage.Catalog;

/// <summary>
/// Searches for the tip of an append-only log whose objects are numbered densely from 1 (a day's
/// manifest segments, an organization shard's segments): existence is monotone, so the last number
/// that exists is found with O(log n) existence checks.
/// </summary>
internal static class DenseSequence
{
    /// <summary>
    /// The last existing number, searching upwards from <paramref name="known"/> (0, or a number
    /// known to exist): double the step while numbers exist, then bisect.
    /// </summary>
    public static async Task<long> FindTipAsync(long known, Func<long, Task<bool>> existsAsync)
    {
        var low = known;
        long high;
        for (var step = 1L; ; step *= 2)
        {
            if (!await existsAsync(low + step))
            {
                high = low + step;
                break;
            }
            low += step;
        }
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            if (await existsAsync(middle))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
