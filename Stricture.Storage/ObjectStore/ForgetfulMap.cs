using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// What a process remembers per key as a hint (a version it wrote, a run it indexed, how long a
/// compaction took): thread-safe, and bounded by forgetting everything once it holds
/// <see cref="MaxKeys"/>. Whatever uses it must be correct, only slower, when a key is forgotten.
/// </summary>
public sealed class ForgetfulMap<TValue>
{
    public const int MaxKeys = 16_384;

    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);

    // Counted here, not asked of the dictionary: ConcurrentDictionary.Count takes every one of its
    // locks, which on a write path made each Set wait on every reader. Approximate under races, which
    // a bound does not mind.
    private int _count;

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value) => _values.TryGetValue(key, out value);

    public bool Contains(string key) => _values.ContainsKey(key);

    public void Set(string key, TValue value)
    {
        if (!_values.TryAdd(key, value))
        {
            _values[key] = value;
            return;
        }
        if (Interlocked.Increment(ref _count) > MaxKeys)
        {
            _values.Clear();
            _values[key] = value;
            Interlocked.Exchange(ref _count, 1);
        }
    }

    public void Forget(string key)
    {
        if (_values.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
