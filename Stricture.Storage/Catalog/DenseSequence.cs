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
    /// <summary>
    /// The objects after <paramref name="after"/>, in order, up to the first number that does not
    /// exist. Numbers up to <paramref name="knownTip"/> are known to exist and are taken at once:
    /// from <paramref name="remembered"/> (what this process wrote itself and still holds) or read
    /// together. Past it, a remembered number costs no read either; the others are read one first
    /// (a log freshly compacted costs one read that finds nothing), then <paramref name="window"/> at a time.
    /// </summary>
    public static async Task<List<(long Number, T Value)>> ReadAfterAsync<T>(
        long after, long knownTip, Func<long, T?> remembered, Func<long, Task<T?>> read, int window)
        where T : class
    {
        var found = new List<(long, T)>();
        var number = after + 1;
        if (knownTip >= number)
        {
            var known = await Task.WhenAll(Enumerable.Range(0, (int)Math.Min(knownTip - after, int.MaxValue))
                .Select(offset => remembered(number + offset) is { } mine ? Task.FromResult<T?>(mine) : read(number + offset)));
            foreach (var value in known)
            {
                if (value is null)
                {
                    return found; // deleted by hand since: the log ends at the first missing number
                }
                found.Add((number++, value));
            }
        }
        for (var size = 1; ; size = window)
        {
            while (remembered(number) is { } mine)
            {
                found.Add((number++, mine));
            }
            var batch = await Task.WhenAll(Enumerable.Range(0, size).Select(offset => read(number + offset)));
            foreach (var value in batch)
            {
                if (value is null)
                {
                    return found;
                }
                found.Add((number++, value));
            }
        }
    }
}
