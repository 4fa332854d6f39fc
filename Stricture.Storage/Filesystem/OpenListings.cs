using System.Collections.Concurrent;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// Keeps the walk of a listing open between pages. A page ends at a key; the next page asks to
/// continue after it, and finds the same lazy walk where it stopped instead of walking the tree
/// again from the top (which, re-reading and re-sorting every large directory for every page,
/// made a full listing quadratic). A walk not continued is dropped: only the newest
/// <see cref="Capacity"/> are kept, and an unknown token simply starts a new walk after that key,
/// which gives the same keys.
///
/// Like an S3 listing, keys created or deleted while a listing is paged through may or may not
/// appear in it.
/// </summary>
internal sealed class OpenListings
{
    private const int Capacity = 32;

    private readonly ConcurrentDictionary<(string Prefix, string After), Walk> _open = new();

    /// <summary>Takes the walk of <paramref name="prefix"/> that stopped at <paramref name="after"/>, or null (the caller starts one).</summary>
    public Walk? Take(string prefix, string after) => _open.TryRemove((prefix, after), out var walk) ? walk : null;

    /// <summary>Parks a walk that stopped at <paramref name="after"/> for the next page.</summary>
    public void Park(string prefix, string after, Walk walk)
    {
        if (_open.Count >= Capacity)
        {
            foreach (var stale in _open.OrderBy(pair => pair.Value.ParkedAt).Take(_open.Count - Capacity + 1).ToList())
            {
                if (_open.TryRemove(stale.Key, out var dropped))
                {
                    dropped.Dispose();
                }
            }
        }
        walk.ParkedAt = DateTime.UtcNow.Ticks;
        _open[(prefix, after)] = walk;
    }

    /// <summary>A lazy ordered walk, with the one key read ahead to learn whether another page follows.</summary>
    internal sealed class Walk(IEnumerator<string> keys) : IDisposable
    {
        private string? _readAhead;

        public long ParkedAt { get; set; }

        /// <summary>Up to <paramref name="max"/> keys, and whether more follow.</summary>
        public (List<string> Keys, bool More) Next(int max)
        {
            var page = new List<string>(Math.Min(max, 1024));
            if (_readAhead is not null)
            {
                page.Add(_readAhead);
                _readAhead = null;
            }
            while (page.Count < max && keys.MoveNext())
            {
                page.Add(keys.Current);
            }
            if (page.Count == max && keys.MoveNext())
            {
                _readAhead = keys.Current;
            }
            return (page, _readAhead is not null);
        }

        public void Dispose() => keys.Dispose();
    }
}
